/**
 * A small read-through cache for discovery's lists.
 *
 * - Concurrent reads of a key share one load (a crowd opening the home page costs one query).
 * - An entry is fresh for `ttlMs`. With `staleMs`, an older entry is still answered at once
 *   while one load refreshes it in the background: a read of a cached key never waits on the
 *   database, however busy it is (a go-live fan-out on embedded PGlite). Whoever must see a
 *   change at once (a person's own new follow) has their key dropped with `expire(key)`.
 * - `expireWithin(ms)` makes entries go stale within `ms` (change events), without letting a
 *   storm of events reload more than once per `ms`.
 * - A failed load is not kept; a load that an `expire` overtook is not kept either.
 * - Past `maxEntries` the oldest entry goes (a Map keeps insertion order).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();
  private readonly loading = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(
    private readonly options: {
      ttlMs: number;
      staleMs?: number;
      maxEntries?: number;
      now?: () => number;
      /** Told about background refreshes that failed (a reader got the stale value). */
      onError?: (error: unknown) => void;
    },
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit) {
      const age = now - hit.at;
      if (age < this.options.ttlMs) return Promise.resolve(hit.value);
      if (age < this.options.ttlMs + (this.options.staleMs ?? 0)) {
        if (!this.loading.has(key)) {
          this.start(key, load).catch((error) => this.options.onError?.(error));
        }
        return Promise.resolve(hit.value);
      }
      this.entries.delete(key);
    }
    return this.loading.get(key) ?? this.start(key, load);
  }

  /** Drops one key, or everything. */
  expire(key?: string): void {
    this.generation++;
    if (key === undefined) {
      this.entries.clear();
      this.loading.clear();
    } else {
      this.entries.delete(key);
      this.loading.delete(key);
    }
  }

  /** Every entry goes stale within `ms` at the latest (kept for stale answers). */
  expireWithin(ms: number): void {
    const at = this.now() - this.options.ttlMs + ms;
    for (const entry of this.entries.values()) entry.at = Math.min(entry.at, at);
  }

  get size(): number {
    return this.entries.size;
  }

  private start(key: string, load: () => Promise<V>): Promise<V> {
    const generation = this.generation;
    const at = this.now();
    const value = load();
    this.loading.set(key, value);
    const settle = () => {
      if (this.loading.get(key) === value) this.loading.delete(key);
    };
    value.then((v) => {
      settle();
      if (generation === this.generation) this.keep(key, { at, value: v });
    }, settle);
    return value;
  }

  private keep(key: string, entry: { at: number; value: V }): void {
    this.entries.delete(key);
    const max = this.options.maxEntries ?? 10_000;
    while (this.entries.size >= max) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
