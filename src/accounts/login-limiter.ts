import { clientKey, Limiter } from "../limits/limiter.ts";
import type { RateLimitStores } from "../shared-state/ports.ts";

export interface LoginLimits {
  failuresPerAccount: number;
  attemptsPerIp: number;
  windowSeconds: number;
}

const message = "Too many login attempts; try again later.";

/**
 * Slows password guessing without handing attackers a lockout button (docs/decisions.md,
 * "A login lockout attackers cannot turn against the owner"). From a device that never logged
 * in to the handle:
 * - every attempt counts against the client (IP, or IPv6 /64): spraying many accounts;
 * - failures count against the pair (handle, client): guessing one password from one place;
 * - failures also count against the handle from everywhere, at 10x the pair's allowance:
 *   a distributed guess.
 * A known device (one that logged in to this handle before: its cookie's hash is in
 * known_devices) meets none of these: only its own failures count, against (handle, device).
 * So whoever exhausts the handle's allowance from elsewhere locks out every stranger, never
 * the owner's own browsers.
 */
export class LoginLimiter {
  private readonly perClient: Limiter;
  private readonly perPair: Limiter;
  private readonly perAccount: Limiter;
  private readonly perDevice: Limiter;

  constructor(limits: LoginLimits, stores?: RateLimitStores) {
    const window = limits.windowSeconds;
    const limiter = (name: string, points: number) =>
      new Limiter(name, { points, windowSeconds: window }, message, stores);
    this.perClient = limiter("login-ip", limits.attemptsPerIp);
    this.perPair = limiter("login-pair", limits.failuresPerAccount);
    this.perAccount = limiter("login-account", limits.failuresPerAccount * 10);
    this.perDevice = limiter("login-device", limits.failuresPerAccount);
  }

  /** `knownDevice`: the device's cookie hash when it logged in to `handle` before, else null. */
  async beforeAttempt(
    ip: string,
    handle: string,
    knownDevice: string | null = null,
  ): Promise<void> {
    if (knownDevice !== null) {
      await this.perDevice.check(`${handle}|${knownDevice}`);
      return;
    }
    const client = clientKey(ip);
    await this.perClient.take(client);
    await this.perPair.check(`${handle}|${client}`);
    await this.perAccount.check(handle);
  }

  async recordFailure(
    ip: string,
    handle: string,
    knownDevice: string | null = null,
  ): Promise<void> {
    if (knownDevice !== null) {
      await this.perDevice.penalize(`${handle}|${knownDevice}`);
      return;
    }
    await this.perPair.penalize(`${handle}|${clientKey(ip)}`);
    await this.perAccount.penalize(handle);
  }

  async recordSuccess(
    ip: string,
    handle: string,
    knownDevice: string | null = null,
  ): Promise<void> {
    if (knownDevice !== null) await this.perDevice.reset(`${handle}|${knownDevice}`);
    else await this.perPair.reset(`${handle}|${clientKey(ip)}`);
  }
}
