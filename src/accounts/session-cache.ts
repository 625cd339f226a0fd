import type { AccountRecord } from "../store/repositories/accounts-repository.ts";

/**
 * Recently checked sessions, by token hash, for a few seconds: a crowd of logged-in listeners
 * arriving at once (each polling its place in line) costs one session query per person per
 * `ttlMs`, not one per request. Logging out drops the entry at once on this node; on other
 * nodes it lives at most `ttlMs` longer.
 *
 * Past half its `ttlMs` an entry is still answered but is due for a refresh (`refreshDue`),
 * which the caller runs in the background: someone who keeps reading never meets an expired
 * entry, so their requests do not wait on a busy database. `revision` changes with every
 * removal, so a lookup that a log-out overtook is not cached (`setIf`).
 */
export class SessionCache {
  private readonly entries = new Map<string, { account: AccountRecord; at: number }>();
  private removals = 0;

  constructor(
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(tokenHash: string): AccountRecord | undefined {
    const hit = this.entries.get(tokenHash);
    if (!hit) return undefined;
    if (this.now() - hit.at > this.ttlMs) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return hit.account;
  }

  /** The entry is past half its time: look it up again in the background. */
  refreshDue(tokenHash: string): boolean {
    const hit = this.entries.get(tokenHash);
    return hit !== undefined && this.now() - hit.at > this.ttlMs / 2;
  }

  /** Changes with every removal (log-out, profile change). */
  get revision(): number {
    return this.removals;
  }

  /** Keeps `account` unless something was removed since `revision` was read. */
  setIf(revision: number, tokenHash: string, account: AccountRecord): void {
    if (revision === this.removals) this.set(tokenHash, account);
  }

  set(tokenHash: string, account: AccountRecord): void {
    this.entries.delete(tokenHash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(tokenHash, { account, at: this.now() });
  }

  delete(tokenHash: string): void {
    this.removals++;
    this.entries.delete(tokenHash);
  }

  /** A profile changed: cached copies of that account go. */
  forgetAccount(accountId: string): void {
    this.removals++;
    for (const [key, value] of this.entries)
      if (value.account.id === accountId) this.entries.delete(key);
  }
}
