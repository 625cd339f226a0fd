import type { Redis } from "ioredis";
import { MemoryFleetSignals } from "../memory/memory-fleet-signals.ts";
import type { FleetSignals, OperatorAttackMode, SignalCounts } from "../ports.ts";

const modeKey = "amphi:attack:mode";
const bucketTtlMs = 120_000;

/**
 * Attack signals summed over the fleet: every node adds its per-bucket counts to a Redis hash
 * per bucket; the sum over a window is what each node's detector sees. The operator's switch
 * is one key. While Redis is down, a node sees its own counts and the last mode it read.
 */
export class RedisFleetSignals implements FleetSignals {
  private readonly local = new MemoryFleetSignals();
  private lastMode: OperatorAttackMode | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly onFallback: (error: unknown) => void,
  ) {}

  async add(bucketId: number, counts: SignalCounts): Promise<void> {
    await this.local.add(bucketId, counts);
    const key = `amphi:attack:b:${bucketId}`;
    try {
      await this.redis
        .multi()
        .hincrby(key, "arrivals", counts.arrivals)
        .hincrby(key, "admitted", counts.admitted)
        .hincrby(key, "refused", counts.refused)
        .pexpire(key, bucketTtlMs)
        .exec();
    } catch (error) {
      this.onFallback(error);
    }
  }

  async totals(fromBucket: number, toBucket: number): Promise<SignalCounts> {
    try {
      const pipeline = this.redis.pipeline();
      for (let id = fromBucket; id <= toBucket; id++) {
        pipeline.hmget(`amphi:attack:b:${id}`, "arrivals", "admitted", "refused");
      }
      const replies = (await pipeline.exec()) ?? [];
      const sum = { arrivals: 0, admitted: 0, refused: 0 };
      for (const [error, value] of replies) {
        if (error) throw error;
        const [arrivals, admitted, refused] = value as (string | null)[];
        sum.arrivals += Number(arrivals ?? 0);
        sum.admitted += Number(admitted ?? 0);
        sum.refused += Number(refused ?? 0);
      }
      return sum;
    } catch (error) {
      this.onFallback(error);
      return this.local.totals(fromBucket, toBucket);
    }
  }

  async operatorMode(): Promise<OperatorAttackMode | null> {
    try {
      const mode = await this.redis.get(modeKey);
      this.lastMode = mode === "on" || mode === "off" || mode === "auto" ? mode : null;
    } catch (error) {
      this.onFallback(error);
    }
    return this.lastMode;
  }

  async setOperatorMode(mode: OperatorAttackMode): Promise<void> {
    // The operator must learn if the switch did not reach the fleet: this one may throw.
    await this.redis.set(modeKey, mode);
    this.lastMode = mode;
  }
}
