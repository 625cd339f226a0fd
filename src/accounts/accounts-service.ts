import { randomUUID } from "node:crypto";
import type { Bus } from "../bus/bus.ts";
import { AmphiError } from "../errors/error-registry.ts";
import { clientKey, type Limiter } from "../limits/limiter.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import type { Repositories } from "../store/repositories/index.ts";
import { describeClient } from "./client-summary.ts";
import type { LoginLimiter } from "./login-limiter.ts";
import { decoyHash, hashPassword, verifyPassword } from "./password-hasher.ts";
import { SessionCache } from "./session-cache.ts";
import { hashSessionToken, newSessionToken } from "./session-tokens.ts";

/** How often a session's "last seen" is written: at most once per this many ms. */
const lastSeenEveryMs = 5 * 60_000;

export interface Profile extends AccountRecord {
  followers: number;
  following: number;
  viewerFollows: boolean | null;
}

export interface SessionGrant {
  account: AccountRecord;
  token: string;
  expiresAt: Date;
  /** The browser's "known device" token (its cookie): kept, or new when it had none. */
  deviceToken: string;
}

/** Where a log-in or sign-up comes from. */
export interface ClientContext {
  ip: string;
  userAgent?: string | undefined;
  /** The "known device" cookie, if the browser has one. */
  deviceToken?: string | undefined;
}

/** A session as its owner sees it in the list. */
export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string;
  client: string;
  current: boolean;
}

export interface AccountLimits {
  login: LoginLimiter;
  signup: Limiter;
  /** Wrong current passwords when changing it, per account. */
  passwordChange: Limiter;
  /** Follows and unfollows, per account. */
  follows: Limiter;
  /** Profile edits, per account. */
  profileEdits: Limiter;
}

/** What the nodes of a fleet tell each other about sessions. */
export interface AccountEvents {
  /** A session ended (log-out): drop it from every session cache. */
  sessionRevoked: { tokenHash: string };
  /** A profile changed: cached copies of the account go. */
  accountChanged: { accountId: string };
  /** Someone followed or unfollowed: their own lists (live now, upcoming) are recomputed. */
  followsChanged: { accountId: string };
}

/** Sign-up, log-in, sessions, profiles and follows. */
export class AccountsService {
  private fleet: Bus<AccountEvents> | null = null;
  private logInGate: ((account: AccountRecord) => Promise<void>) | null = null;

  constructor(
    private readonly repos: Repositories,
    private readonly limits: AccountLimits,
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

  /**
   * A check every log-in passes once the password is right (a suspended account is refused
   * there, src/moderation): it throws to refuse.
   */
  guardLogIn(gate: (account: AccountRecord) => Promise<void>): void {
    this.logInGate = gate;
  }

  async signUp(
    input: { handle: string; displayName: string; password: string } & ClientContext,
  ): Promise<SessionGrant> {
    await this.limits.signup.take(clientKey(input.ip));
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
    return this.openSession(account, input);
  }

  async logIn(input: { handle: string; password: string } & ClientContext): Promise<SessionGrant> {
    const device = await this.knownDevice(input.handle, input.deviceToken);
    await this.limits.login.beforeAttempt(input.ip, input.handle, device);
    const found = await this.repos.accounts.findWithPassword(input.handle);
    const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash));
    if (!found || !ok) {
      await this.limits.login.recordFailure(input.ip, input.handle, device);
      throw new AmphiError("AMPHI_BAD_CREDENTIALS");
    }
    await this.limits.login.recordSuccess(input.ip, input.handle, device);
    const { passwordHash: _secret, ...account } = found;
    await this.logInGate?.(account);
    return this.openSession(account, input);
  }

  /** The hash of the device token when that device logged in to `handle` before, else null. */
  private async knownDevice(
    handle: string,
    deviceToken: string | undefined,
  ): Promise<string | null> {
    if (!deviceToken || deviceToken.length < 20 || deviceToken.length > 100) return null;
    const hash = hashSessionToken(deviceToken);
    return (await this.repos.knownDevices.isKnown(handle, hash)) ? hash : null;
  }

  /**
   * Changes the password after checking the current one; every other session of the account
   * ends, on every node, and every other known device is forgotten (whoever knew the old
   * password may have made theirs "known"). Returns how many sessions ended.
   */
  async changePassword(input: {
    accountId: string;
    currentToken: string | null;
    currentPassword: string;
    newPassword: string;
    deviceToken?: string | undefined;
  }): Promise<{ endedSessions: number }> {
    await this.limits.passwordChange.check(input.accountId);
    const stored = await this.repos.accounts.passwordHashOf(input.accountId);
    if (!stored) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    if (!(await verifyPassword(input.currentPassword, stored))) {
      await this.limits.passwordChange.penalize(input.accountId);
      throw new AmphiError("AMPHI_WRONG_PASSWORD", {
        details: [{ path: ["body", "currentPassword"], message: "not your current password" }],
      });
    }
    await this.limits.passwordChange.reset(input.accountId);
    await this.repos.accounts.setPasswordHash(
      input.accountId,
      await hashPassword(input.newPassword),
    );
    const keep = input.currentToken ? hashSessionToken(input.currentToken) : undefined;
    const ended = await this.repos.sessions.deleteForAccount(input.accountId, keep);
    this.revoke(ended);
    await this.repos.knownDevices.forgetOthers(
      input.accountId,
      input.deviceToken ? hashSessionToken(input.deviceToken) : null,
    );
    return { endedSessions: ended.length };
  }

  /** The account's live sessions; `current` marks the one `currentToken` belongs to. */
  async listSessions(accountId: string, currentToken: string | null): Promise<SessionView[]> {
    const mine = currentToken ? hashSessionToken(currentToken) : null;
    const rows = await this.repos.sessions.listForAccount(accountId, this.now());
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
      expiresAt: r.expiresAt,
      userAgent: r.userAgent,
      client: describeClient(r.userAgent),
      current: r.tokenHash === mine,
    }));
  }

  /** Ends one of the account's sessions; says whether it was the caller's own. */
  async endSession(
    accountId: string,
    sessionId: string,
    currentToken: string | null,
  ): Promise<{ current: boolean }> {
    const hash = await this.repos.sessions.deleteById(accountId, sessionId);
    if (!hash) throw new AmphiError("AMPHI_SESSION_NOT_FOUND");
    this.revoke([hash]);
    return { current: currentToken !== null && hash === hashSessionToken(currentToken) };
  }

  /** Log out everywhere: every session of the account ends, the caller's own included. */
  async endAllSessions(accountId: string): Promise<{ endedSessions: number }> {
    const ended = await this.repos.sessions.deleteForAccount(accountId);
    this.revoke(ended);
    return { endedSessions: ended.length };
  }

  /** Ended sessions leave this node's cache now and every other node's through the bus. */
  private revoke(tokenHashes: readonly string[]): void {
    for (const tokenHash of tokenHashes) {
      this.sessionCache.delete(tokenHash);
      this.fleet?.publish("sessionRevoked", { tokenHash });
    }
  }

  async logOut(token: string): Promise<void> {
    const hash = hashSessionToken(token);
    await this.repos.sessions.delete(hash);
    // Every node forgets it at once (not after its cache's 30 s).
    this.revoke([hash]);
  }

  /**
   * The account behind a session token, or null when it is unknown or expired. A cached
   * session past half its time answers at once and is looked up again in the background.
   */
  async authenticate(token: string): Promise<AccountRecord | null> {
    if (token.length < 20 || token.length > 100) return null;
    const hash = hashSessionToken(token);
    const cached = this.sessionCache.get(hash);
    if (cached) {
      if (this.sessionCache.refreshDue(hash) && !this.refreshing.has(hash)) {
        this.refreshing.add(hash);
        this.lookUpSession(hash)
          .then((account) => {
            if (!account) this.sessionCache.delete(hash);
          })
          .catch(() => {})
          .finally(() => this.refreshing.delete(hash));
      }
      return cached;
    }
    return this.lookUpSession(hash);
  }

  private readonly refreshing = new Set<string>();

  /** Reads a session and its account, and caches them unless a log-out overtook the read. */
  private async lookUpSession(hash: string): Promise<AccountRecord | null> {
    const revision = this.sessionCache.revision;
    const now = this.now();
    const session = await this.repos.sessions.findLive(hash, now);
    const account = session ? await this.repos.accounts.findById(session.accountId) : null;
    if (account) this.sessionCache.setIf(revision, hash, account);
    // "Last seen" for the sessions list: one write per session every few minutes at most,
    // off the request's path (a failure only leaves the time older).
    if (session && now.getTime() - session.lastSeenAt.getTime() > lastSeenEveryMs) {
      this.repos.sessions.touch(hash, now).catch(() => {});
    }
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
    await this.limits.profileEdits.take(accountId);
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
    await this.limits.follows.take(viewerId);
    const target = await this.repos.accounts.findByHandle(handle);
    if (!target) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    if (target.id === viewerId) throw new AmphiError("AMPHI_CANNOT_FOLLOW_SELF");
    if (follow) await this.repos.follows.follow(viewerId, target.id);
    else await this.repos.follows.unfollow(viewerId, target.id);
    this.fleet?.publish("followsChanged", { accountId: viewerId });
    return this.profile(handle, viewerId);
  }

  private async openSession(account: AccountRecord, client: ClientContext): Promise<SessionGrant> {
    const token = newSessionToken();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.sessionDays * 86_400_000);
    await this.repos.sessions.create(hashSessionToken(token), account.id, expiresAt, {
      userAgent: client.userAgent ?? "",
    });
    // This browser is now a known device of the account: the account's lockout spares it.
    const valid = client.deviceToken && /^[A-Za-z0-9_-]{20,100}$/.test(client.deviceToken);
    const deviceToken = valid && client.deviceToken ? client.deviceToken : newSessionToken();
    await this.repos.knownDevices.remember(account.id, hashSessionToken(deviceToken), now);
    return { account, token, expiresAt, deviceToken };
  }
}

function handleTaken(): AmphiError {
  return new AmphiError("AMPHI_HANDLE_TAKEN", {
    details: [{ path: ["body", "handle"], message: "This handle is taken." }],
  });
}
