import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AmphiError } from "../errors/error-registry.ts";

export interface LoginLimits {
  failuresPerAccount: number;
  attemptsPerIp: number;
  windowSeconds: number;
}

/**
 * Slows password guessing two ways: failed logins per account (guessing one person's
 * password) and all attempts per IP (spraying many accounts).
 */
export class LoginLimiter {
  private readonly perAccount: RateLimiterMemory;
  private readonly perIp: RateLimiterMemory;

  constructor(limits: LoginLimits) {
    this.perAccount = new RateLimiterMemory({
      keyPrefix: "login-account",
      points: limits.failuresPerAccount,
      duration: limits.windowSeconds,
    });
    this.perIp = new RateLimiterMemory({
      keyPrefix: "login-ip",
      points: limits.attemptsPerIp,
      duration: limits.windowSeconds,
    });
  }

  /** Counts an attempt from `ip`; throws AMPHI_RATE_LIMITED when the IP or account is spent. */
  async beforeAttempt(ip: string, handle: string): Promise<void> {
    await this.consume(this.perIp, ip);
    const account = await this.perAccount.get(handle);
    if (account && account.remainingPoints <= 0) throw tooMany(account.msBeforeNext);
  }

  async recordFailure(handle: string): Promise<void> {
    await this.perAccount.penalty(handle, 1);
  }

  async recordSuccess(handle: string): Promise<void> {
    await this.perAccount.delete(handle);
  }

  private async consume(limiter: RateLimiterMemory, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw tooMany(error.msBeforeNext);
      throw error;
    }
  }
}

function tooMany(msBeforeNext: number): AmphiError {
  return new AmphiError("AMPHI_RATE_LIMITED", {
    message: "Too many login attempts; try again later.",
    retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)),
  });
}
