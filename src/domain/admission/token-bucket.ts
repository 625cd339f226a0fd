/**
 * A token bucket: `ratePerSecond` tokens arrive per second, up to `capacity` saved.
 * Pure: the caller passes the clock (ms) on every call.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    nowMs: number,
  ) {
    if (!(ratePerSecond > 0) || !(capacity >= 1)) {
      throw new RangeError("a token bucket needs a positive rate and a capacity of at least 1");
    }
    this.tokens = capacity;
    this.at = nowMs;
  }

  /** Tokens available now (fractional). */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(nowMs: number): void {
    // A clock that steps back must not mint tokens.
    if (nowMs <= this.at) return;
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((nowMs - this.at) / 1000) * this.ratePerSecond,
    );
    this.at = nowMs;
  }
}
