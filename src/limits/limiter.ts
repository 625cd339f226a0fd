import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AmphiError } from "../errors/error-registry.ts";
import type { RateLimitStores } from "../shared-state/ports.ts";

export interface Limit {
  /** Attempts allowed per window. */
  points: number;
  windowSeconds: number;
}

/**
 * A named rate limit (rate-limiter-flexible, in memory) that refuses with
 * AMPHI_RATE_LIMITED and a Retry-After. The one place that maps limiter answers to errors.
 */
export class Limiter {
  private readonly limiter: RateLimiterAbstract;

  /** Counts in `stores` (shared by a fleet) when given, else in this process's memory. */
  constructor(
    name: string,
    limit: Limit,
    private readonly message = "Too many requests; try again later.",
    stores?: RateLimitStores,
  ) {
    this.limiter = stores
      ? stores.create({ name, points: limit.points, windowSeconds: limit.windowSeconds })
      : new RateLimiterMemory({
          keyPrefix: name,
          points: limit.points,
          duration: limit.windowSeconds,
        });
  }

  /** Counts one attempt for `key`; throws AMPHI_RATE_LIMITED when the key is spent. */
  async take(key: string, points = 1): Promise<void> {
    try {
      await this.limiter.consume(key, points);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw this.refusal(error.msBeforeNext);
      throw error;
    }
  }

  /** Throws AMPHI_RATE_LIMITED if `key` is spent, without counting an attempt. */
  async check(key: string): Promise<void> {
    const state = await this.limiter.get(key);
    if (state && state.remainingPoints <= 0) throw this.refusal(state.msBeforeNext);
  }

  /** Counts against `key` without refusing (e.g. a failure found after the fact). */
  async penalize(key: string): Promise<void> {
    await this.limiter.penalty(key, 1);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }

  private refusal(msBeforeNext: number): AmphiError {
    return new AmphiError("AMPHI_RATE_LIMITED", {
      message: this.message,
      retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)),
    });
  }
}

/**
 * The key a client is limited by: its IPv4 address, or its IPv6 /64 (one host usually owns a
 * whole /64, so per-address limits on IPv6 are free to evade).
 */
export function clientKey(ip: string): string {
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  if (!v4.includes(":")) return v4;
  const [head = ""] = v4.split("::");
  const groups = v4.includes("::") ? head.split(":").filter(Boolean) : v4.split(":");
  return `${[...groups, "0", "0", "0", "0"].slice(0, 4).join(":")}::/64`;
}
