import { randomUUID } from "node:crypto";
import type { Bus } from "../bus/bus.ts";
import { AmphiError } from "../errors/error-registry.ts";
import { clientKey, type Limiter } from "../limits/limiter.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { LoginLimiter } from "./login-limiter.ts";
import { decoyHash, hashPassword, verifyPassword } from "./password-hasher.ts";
import { SessionCache } from "./session-cache.ts";
import { hashSessionToken, newSessionToken } from "./session-tokens.ts";

export interface Profile extends AccountRecord {
  followers: number;
  following: number;
  viewerFollows: boolean | null;
}

export interface SessionGrant {
  account: AccountRecord;
  token: string;
  expiresAt: Date;
}

/** What the nodes of a fleet tell each other about sessions. */
export interface AccountEvents {
  /** A session ended (log-out): drop it from every session cache. */
  sessionRevoked: { tokenHash: string };
  /** A profile changed: cached copies of the account go. */
  accountChanged: { accountId: string };
}

/** Sign-up, log-in, sessions, profiles and follows. */
export class AccountsService {
  private fleet: Bus<AccountEvents> | null = null;

  constructor(
    private readonly repos: Repositories,
    private readonly limiter: LoginLimiter,
    private readonly signupLimiter: Limiter,
    private readonly sessionDays: number,
    private readonly now: () => Date = () => new Date(),
    private readonly sessionCache = new SessionCache(),
  ) {}

  /** Session revocations and profile changes reach every node of the fleet through `bus`. */
  shareSessionsThrough(bus: Bus<AccountEvents>): void {
    this.fleet = bus;
    bus.subscribe("sessionRevoked", ({ tokenHash }) => this.sessionCache.delete(tokenHash));
    bus.subscribe("accountChanged", ({ accountId }) => this.sessionCache.forgetAccount(accountId));
  }

  async signUp(input: {
    handle: string;
    displayName: string;
    password: string;
    ip: string;
  }): Promise<SessionGrant> {
    await this.signupLimiter.take(clientKey(input.ip));
    // Refuse a taken handle before paying for the hash; the insert still guards the race.
    if (await this.repos.accounts.findByHandle(input.handle)) throw handleTaken();
    const passwordHash = await hashPassword(input.password);
    const account = await this.repos.accounts.create({
      id: randomUUID(),
      handle: input.handle,
      displayName: input.displayName,
      passwordHash,
    });
    if (!account) throw handleTaken();
    return this.openSession(account);
  }

  async logIn(input: { handle: string; password: string; ip: string }): Promise<SessionGrant> {
    await this.limiter.beforeAttempt(input.ip, input.handle);
    const found = await this.repos.accounts.findWithPassword(input.handle);
    const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash));
    if (!found || !ok) {
      await this.limiter.recordFailure(input.ip, input.handle);
      throw new AmphiError("AMPHI_BAD_CREDENTIALS");
    }
    await this.limiter.recordSuccess(input.ip, input.handle);
    const { passwordHash: _secret, ...account } = found;
    return this.openSession(account);
  }

  async logOut(token: string): Promise<void> {
    const hash = hashSessionToken(token);
    this.sessionCache.delete(hash);
    await this.repos.sessions.delete(hash);
    // Every node forgets it at once (not after its cache's 30 s).
    this.fleet?.publish("sessionRevoked", { tokenHash: hash });
  }

  /** The account behind a session token, or null when it is unknown or expired. */
  async authenticate(token: string): Promise<AccountRecord | null> {
    if (token.length < 20 || token.length > 100) return null;
    const hash = hashSessionToken(token);
    const cached = this.sessionCache.get(hash);
    if (cached) return cached;
    const accountId = await this.repos.sessions.findAccountId(hash, this.now());
    const account = accountId ? await this.repos.accounts.findById(accountId) : null;
    if (account) this.sessionCache.set(hash, account);
    return account;
  }

  async profile(handle: string, viewerId: string | null): Promise<Profile> {
    const account = await this.repos.accounts.findByHandle(handle);
    if (!account) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    const counts = await this.repos.follows.counts(account.id);
    const viewerFollows =
      viewerId === null ? null : await this.repos.follows.isFollowing(viewerId, account.id);
    return { ...account, ...counts, viewerFollows };
  }

  async updateProfile(
    accountId: string,
    patch: { displayName?: string | undefined; bio?: string | undefined },
  ): Promise<AccountRecord> {
    const clean: { displayName?: string; bio?: string } = {};
    if (patch.displayName !== undefined) clean.displayName = patch.displayName;
    if (patch.bio !== undefined) clean.bio = patch.bio;
    const account = await this.repos.accounts.updateProfile(accountId, clean);
    if (!account) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    this.sessionCache.forgetAccount(accountId);
    this.fleet?.publish("accountChanged", { accountId });
    return account;
  }

  async setFollowing(viewerId: string, handle: string, follow: boolean): Promise<Profile> {
    const target = await this.repos.accounts.findByHandle(handle);
    if (!target) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    if (target.id === viewerId) throw new AmphiError("AMPHI_CANNOT_FOLLOW_SELF");
    if (follow) await this.repos.follows.follow(viewerId, target.id);
    else await this.repos.follows.unfollow(viewerId, target.id);
    return this.profile(handle, viewerId);
  }

  private async openSession(account: AccountRecord): Promise<SessionGrant> {
    const token = newSessionToken();
    const expiresAt = new Date(this.now().getTime() + this.sessionDays * 86_400_000);
    await this.repos.sessions.create(hashSessionToken(token), account.id, expiresAt);
    return { account, token, expiresAt };
  }
}

function handleTaken(): AmphiError {
  return new AmphiError("AMPHI_HANDLE_TAKEN", {
    details: [{ path: ["body", "handle"], message: "This handle is taken." }],
  });
}
