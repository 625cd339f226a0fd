import type { Participant } from "../domain/spaces/stage.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { SpaceRecord } from "../store/repositories/spaces-repository.ts";

/** A Space as read from the database in one go: the record, its stage, and the people in it. */
export interface SpaceSnapshot {
  space: SpaceRecord;
  participants: Map<string, Participant>;
  accounts: Map<string, AccountRecord>;
  /** Who the host blocked from their Spaces (no ticket, request to speak or reaction). */
  blocked?: ReadonlySet<string>;
}

/**
 * Keeps recently read Spaces in memory. Concurrent reads of the same Space share one load
 * (a thousand listeners arriving at once cost one query), and a change event drops the entry.
 * Entries also expire after `ttlMs`, in case a change came from somewhere the bus does not reach.
 *
 * Only Spaces that exist are kept, and only they count toward `maxEntries`: a load waits in
 * `loading` (where concurrent reads share it) and moves to `entries` once it has found a Space.
 * A miss or a failure just leaves, so requests for random ids cannot push popular Spaces out.
 * Past `maxEntries` the oldest entry goes (a Map keeps insertion order; a reload goes last).
 */
export class SpaceSnapshots {
  private readonly entries = new Map<string, { at: number; value: Promise<SpaceSnapshot> }>();
  private readonly loading = new Map<string, Promise<SpaceSnapshot | null>>();

  constructor(
    private readonly repos: Repositories,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(spaceId: string): Promise<SpaceSnapshot | null> {
    const at = this.now();
    const hit = this.entries.get(spaceId);
    if (hit && at - hit.at < this.ttlMs) return hit.value;
    this.entries.delete(spaceId);
    const inFlight = this.loading.get(spaceId);
    if (inFlight) return inFlight;
    const value = this.load(spaceId);
    this.loading.set(spaceId, value);
    const settled = (snapshot: SpaceSnapshot | null) => {
      // Invalidated while loading: the result may predate the change, so it is not kept.
      if (this.loading.get(spaceId) !== value) return;
      this.loading.delete(spaceId);
      if (snapshot) this.keep(spaceId, { at, value: Promise.resolve(snapshot) });
    };
    value.then(settled, () => settled(null));
    return value;
  }

  invalidate(spaceId: string): void {
    this.entries.delete(spaceId);
    this.loading.delete(spaceId);
  }

  private keep(spaceId: string, entry: { at: number; value: Promise<SpaceSnapshot> }): void {
    this.entries.delete(spaceId);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(spaceId, entry);
  }

  private async load(spaceId: string): Promise<SpaceSnapshot | null> {
    const space = await this.repos.spaces.findById(spaceId);
    if (!space) return null;
    const [list, blocks] = await Promise.all([
      this.repos.participants.listForSpace(spaceId),
      this.repos.blocks.blockedBy([space.hostId]),
    ]);
    const ids = new Set([space.hostId, ...list.map((p) => p.accountId)]);
    const accounts = await this.repos.accounts.findManyByIds([...ids]);
    return {
      space,
      participants: new Map(list.map((p) => [p.accountId, p])),
      accounts: new Map(accounts.map((a) => [a.id, a])),
      blocked: blocks.get(space.hostId) ?? new Set(),
    };
  }
}
