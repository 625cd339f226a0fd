import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { LimitSpec, RateLimitStores } from "../ports.ts";
import type { FleetShare } from "./fleet-share.ts";

/**
 * Rate limits counted in Redis (rate-limiter-flexible's Redis store), so a client spreading
 * its requests over API nodes meets one limit. While Redis does not answer, each limiter's
 * insurance counts in memory at this node's share of the points: the fleet together still
 * allows about the configured amount.
 */
export class RedisRateLimitStores implements RateLimitStores {
  constructor(
    private readonly redis: Redis,
    private readonly share: FleetShare,
  ) {}

  create(spec: LimitSpec): RateLimiterRedis {
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `amphi:rl:${spec.name}`,
      points: spec.points,
      duration: spec.windowSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({
        keyPrefix: `${spec.name}-local`,
        points: Math.max(1, Math.floor(spec.points * this.share.apiShare())),
        duration: spec.windowSeconds,
      }),
    });
  }
}
