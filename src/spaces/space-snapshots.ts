import type { Participant } from "../domain/spaces/stage.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { SpaceRecord } from "../store/repositories/spaces-repository.ts";

/** A Space as read from the database in one go: the record, its stage, and the people in it. */
export interface SpaceSnapshot {
  space: SpaceRecord;
  participants: Map<string, Participant>;
  accounts: Map<string, AccountRecord>;
}

/**
 * Keeps recently read Spaces in memory. Concurrent reads of the same Space share one load
 * (a thousand listeners arriving at once cost one query), and a change event drops the entry.
 * Entries also expire after `ttlMs`, in case a change came from somewhere the bus does not reach.
 */
export class SpaceSnapshots {
  private readonly entries = new Map<
    string,
    { at: number; value: Promise<SpaceSnapshot | null> }
  >();

  constructor(
    private readonly repos: Repositories,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(spaceId: string): Promise<SpaceSnapshot | null> {
    const now = Date.now();
    const hit = this.entries.get(spaceId);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = this.load(spaceId);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(spaceId, { at: now, value });
    // A failed load must not stay cached.
    value.catch(() => {
      if (this.entries.get(spaceId)?.value === value) this.entries.delete(spaceId);
    });
    return value;
  }

  invalidate(spaceId: string): void {
    this.entries.delete(spaceId);
  }

  private async load(spaceId: string): Promise<SpaceSnapshot | null> {
    const space = await this.repos.spaces.findById(spaceId);
    if (!space) return null;
    const list = await this.repos.participants.listForSpace(spaceId);
    const ids = new Set([space.hostId, ...list.map((p) => p.accountId)]);
    const accounts = await this.repos.accounts.findManyByIds([...ids]);
    return {
      space,
      participants: new Map(list.map((p) => [p.accountId, p])),
      accounts: new Map(accounts.map((a) => [a.id, a])),
    };
  }
}
