import { clientKey, Limiter } from "../limits/limiter.ts";
import type { RateLimitStores } from "../shared-state/ports.ts";

export interface LoginLimits {
  failuresPerAccount: number;
  attemptsPerIp: number;
  windowSeconds: number;
}

const message = "Too many login attempts; try again later.";

/**
 * Slows password guessing without handing attackers a lockout button:
 * - every attempt counts against the client (IP, or IPv6 /64): spraying many accounts;
 * - failures count against the pair (handle, client): guessing one password from one place;
 * - failures also count against the handle from everywhere, at 10x the pair's allowance:
 *   a distributed guess. The owner, from their own address, is only locked out by that one.
 */
export class LoginLimiter {
  private readonly perClient: Limiter;
  private readonly perPair: Limiter;
  private readonly perAccount: Limiter;

  constructor(limits: LoginLimits, stores?: RateLimitStores) {
    const window = limits.windowSeconds;
    this.perClient = new Limiter(
      "login-ip",
      { points: limits.attemptsPerIp, windowSeconds: window },
      message,
      stores,
    );
    this.perPair = new Limiter(
      "login-pair",
      { points: limits.failuresPerAccount, windowSeconds: window },
      message,
      stores,
    );
    this.perAccount = new Limiter(
      "login-account",
      { points: limits.failuresPerAccount * 10, windowSeconds: window },
      message,
      stores,
    );
  }

  async beforeAttempt(ip: string, handle: string): Promise<void> {
    const client = clientKey(ip);
    await this.perClient.take(client);
    await this.perPair.check(`${handle}|${client}`);
    await this.perAccount.check(handle);
  }

  async recordFailure(ip: string, handle: string): Promise<void> {
    await this.perPair.penalize(`${handle}|${clientKey(ip)}`);
    await this.perAccount.penalize(handle);
  }

  async recordSuccess(ip: string, handle: string): Promise<void> {
    await this.perPair.reset(`${handle}|${clientKey(ip)}`);
  }
}
