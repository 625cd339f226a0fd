import type { MediaLease, MediaPlacement } from "../shared-state/ports.ts";

/**
 * Where each live Space's media node is, for an API node that forwards WHIP, WHEP and LL-HLS
 * requests: the placement lease, cached for `cacheMs` (a crowd's playlist requests cost one
 * lookup per Space per second, not one each). While the shared state does not answer, the
 * last owner seen stays the answer: the media keeps flowing through a Redis outage.
 */
export class MediaLocator {
  private readonly cache = new Map<string, { lease: MediaLease | null; at: number }>();
  private readonly lastKnown = new Map<string, MediaLease>();

  constructor(
    private readonly placement: MediaPlacement,
    private readonly options: { cacheMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async owner(spaceId: string): Promise<MediaLease | null> {
    const hit = this.cache.get(spaceId);
    if (hit && this.now() - hit.at < (this.options.cacheMs ?? 1_000)) return hit.lease;
    let lease: MediaLease | null;
    try {
      lease = await this.placement.owner(spaceId);
    } catch {
      return this.lastKnown.get(spaceId) ?? null;
    }
    this.cache.set(spaceId, { lease, at: this.now() });
    if (lease) this.lastKnown.set(spaceId, lease);
    else this.lastKnown.delete(spaceId);
    if (this.cache.size > 10_000) this.cache.clear();
    return lease;
  }

  /**
   * The owner, waiting up to `timeoutMs` for one (a Space that just went live is being
   * placed), or for one other than `replacing` (an owner that stopped answering: its lease
   * lapses and another media node takes the Space over).
   */
  async waitForOwner(
    spaceId: string,
    timeoutMs: number,
    replacing?: MediaLease,
  ): Promise<MediaLease | null> {
    const until = this.now() + timeoutMs;
    for (;;) {
      const found = await this.owner(spaceId);
      const lease = found && replacing && found.epoch === replacing.epoch ? null : found;
      if (lease || this.now() >= until) return lease;
      this.forget(spaceId);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The owner did not answer: look it up afresh next time. */
  forget(spaceId: string): void {
    this.cache.delete(spaceId);
  }
}
