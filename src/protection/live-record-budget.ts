/**
 * Counts, in fixed memory, how many rate-limit records are alive, so a limiter can stop
 * creating new ones past a ceiling. A record created at `t` for a window of `w` lives until
 * `t + w`: we keep one counter per expiry second (at most `longest window + 1` counters), so
 * the count never needs a record of its own. Rounding expiries up to the next second only
 * overestimates, which errs on the side of the memory bound.
 */
export class LiveRecordBudget {
  /** Expiry second -> records that expire then. */
  private readonly expiring = new Map<number, number>();
  private live = 0;
  private prunedAtSecond = Number.NEGATIVE_INFINITY;

  constructor(readonly max: number) {}

  /** Notes a record created at `now` (ms) that lives `lifetimeMs`. */
  noteCreated(now: number, lifetimeMs: number): void {
    this.prune(now);
    const expiresAtSecond = Math.ceil((now + lifetimeMs) / 1000);
    this.expiring.set(expiresAtSecond, (this.expiring.get(expiresAtSecond) ?? 0) + 1);
    this.live += 1;
  }

  /** Records alive at `now` (an upper bound). */
  size(now: number): number {
    this.prune(now);
    return this.live;
  }

  isFull(now: number): boolean {
    return this.size(now) >= this.max;
  }

  private prune(now: number): void {
    const second = Math.floor(now / 1000);
    // Expiries only change at second boundaries: prune at most once a second.
    if (second === this.prunedAtSecond) return;
    this.prunedAtSecond = second;
    for (const [expiresAtSecond, count] of this.expiring) {
      if (expiresAtSecond <= second) {
        this.expiring.delete(expiresAtSecond);
        this.live -= count;
      }
    }
  }
}
