import type { SpentNonces } from "../ports.ts";

/**
 * Spent proof-of-work nonces in this process, each until its challenge expires. Bounded: past
 * `maxSize` the oldest are forgotten (their challenges expire within minutes anyway).
 */
export class MemorySpentNonces implements SpentNonces {
  /** Nonce -> expiry (ms); insertion order is roughly expiry order. */
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly maxSize = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async spend(nonce: string, untilMs: number): Promise<boolean> {
    return this.spendNow(nonce, untilMs);
  }

  spendNow(nonce: string, untilMs: number): boolean {
    const now = this.now();
    for (const [key, expiry] of this.spent) {
      if (expiry > now) break;
      this.spent.delete(key);
    }
    const known = this.spent.get(nonce);
    if (known !== undefined && known > now) return false;
    if (this.spent.size >= this.maxSize) {
      const oldest = this.spent.keys().next();
      if (!oldest.done) this.spent.delete(oldest.value);
    }
    this.spent.set(nonce, untilMs);
    return true;
  }
}
