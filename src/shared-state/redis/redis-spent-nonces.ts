import type { Redis } from "ioredis";
import { MemorySpentNonces } from "../memory/memory-spent-nonces.ts";
import type { SpentNonces } from "../ports.ts";

/**
 * Spent proof-of-work nonces for the fleet: `SET NX` with the challenge's expiry, so a solved
 * challenge is accepted once whichever node sees it. Always also remembered locally: while
 * Redis is down a node still refuses a replay to itself.
 */
export class RedisSpentNonces implements SpentNonces {
  private readonly local = new MemorySpentNonces();

  constructor(
    private readonly redis: Redis,
    private readonly onFallback: (error: unknown) => void,
  ) {}

  async spend(nonce: string, untilMs: number): Promise<boolean> {
    if (!this.local.spendNow(nonce, untilMs)) return false;
    try {
      const set = await this.redis.set(`amphi:nonce:${nonce}`, "1", "PXAT", untilMs, "NX");
      return set === "OK";
    } catch (error) {
      this.onFallback(error);
      return true;
    }
  }
}
