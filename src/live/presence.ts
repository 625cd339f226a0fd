/**
 * Who is connected to which live Space in this process: the listener count until presence
 * heartbeats (tickets) arrive. Counts distinct accounts, so two tabs count once.
 */
export class Presence {
  private readonly bySpace = new Map<string, Map<string, number>>();

  join(spaceId: string, accountId: string): void {
    let accounts = this.bySpace.get(spaceId);
    if (!accounts) {
      accounts = new Map();
      this.bySpace.set(spaceId, accounts);
    }
    accounts.set(accountId, (accounts.get(accountId) ?? 0) + 1);
  }

  leave(spaceId: string, accountId: string): void {
    const accounts = this.bySpace.get(spaceId);
    const n = accounts?.get(accountId);
    if (!accounts || n === undefined) return;
    if (n > 1) accounts.set(accountId, n - 1);
    else accounts.delete(accountId);
    if (accounts.size === 0) this.bySpace.delete(spaceId);
  }

  count(spaceId: string): number {
    return this.bySpace.get(spaceId)?.size ?? 0;
  }
}
