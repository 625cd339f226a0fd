import { describe, expect, test } from "vitest";
import type { Participant } from "../domain/spaces/stage.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { SpaceRecord } from "../store/repositories/spaces-repository.ts";
import { SpaceSnapshots } from "./space-snapshots.ts";

function spaceRecord(id: string): SpaceRecord {
  return {
    id,
    hostId: `host-of-${id}`,
    title: `Space ${id}`,
    description: "",
    state: "live",
    scheduledFor: null,
    startedAt: null,
    endedAt: null,
    recording: false,
    speakerPolicy: "everyone",
    requireLogin: false,
    audience: null,
    createdAt: new Date(0),
  };
}

function account(id: string): AccountRecord {
  return { id, handle: id, displayName: id, bio: "", createdAt: new Date(0) };
}

/**
 * The repository methods a snapshot load uses (the host's blocks: none here), over a set of known Space ids, counting
 * calls. `gate` holds loads until released; `failNext` makes the next findById reject.
 */
function fakeRepos(known: string[]) {
  const spaces = new Set(known);
  const calls = { findById: 0, listForSpace: 0, findManyByIds: 0 };
  const loads = new Map<string, number>();
  let gate: Promise<void> = Promise.resolve();
  let failNext = false;
  const repos = {
    spaces: {
      findById: async (id: string): Promise<SpaceRecord | undefined> => {
        calls.findById++;
        loads.set(id, (loads.get(id) ?? 0) + 1);
        await gate;
        if (failNext) {
          failNext = false;
          throw new Error("database down");
        }
        return spaces.has(id) ? spaceRecord(id) : undefined;
      },
    },
    participants: {
      listForSpace: async (spaceId: string): Promise<Participant[]> => {
        calls.listForSpace++;
        return [
          {
            accountId: `sp-${spaceId}`,
            role: "speaker",
            pending: "none",
            muted: true,
            removed: false,
          },
        ];
      },
    },
    accounts: {
      findManyByIds: async (ids: string[]): Promise<AccountRecord[]> => {
        calls.findManyByIds++;
        return ids.map(account);
      },
    },
    blocks: { blockedBy: async () => new Map<string, Set<string>>() },
  };
  return {
    repos: repos as unknown as Repositories,
    calls,
    /** How many times this Space was loaded. */
    loadsOf: (id: string) => loads.get(id) ?? 0,
    hold(): () => void {
      let open = () => {};
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return open;
    },
    failNext() {
      failNext = true;
    },
  };
}

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

describe("SpaceSnapshots", () => {
  test("a load reads the Space, its stage and the people in it", async () => {
    const fake = fakeRepos(["a"]);
    const snapshot = await new SpaceSnapshots(fake.repos).get("a");
    expect(snapshot?.space.id).toBe("a");
    expect([...(snapshot?.participants.keys() ?? [])]).toEqual(["sp-a"]);
    expect([...(snapshot?.accounts.keys() ?? [])].sort()).toEqual(["host-of-a", "sp-a"]);
    expect(fake.calls).toEqual({ findById: 1, listForSpace: 1, findManyByIds: 1 });
  });

  test("concurrent reads share one load, and later reads hit the cache", async () => {
    const fake = fakeRepos(["a"]);
    const snapshots = new SpaceSnapshots(fake.repos);
    const open = fake.hold();
    const reads = Array.from({ length: 50 }, () => snapshots.get("a"));
    open();
    const results = await Promise.all(reads);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.space.id).toBe("a");
    await snapshots.get("a");
    expect(fake.calls).toEqual({ findById: 1, listForSpace: 1, findManyByIds: 1 });
  });

  test("invalidate forces a reload", async () => {
    const fake = fakeRepos(["a"]);
    const snapshots = new SpaceSnapshots(fake.repos);
    await snapshots.get("a");
    snapshots.invalidate("a");
    await snapshots.get("a");
    await snapshots.get("a");
    expect(fake.loadsOf("a")).toBe(2);
  });

  test("an entry expires after the TTL and is loaded again", async () => {
    const time = clock();
    const fake = fakeRepos(["a"]);
    const snapshots = new SpaceSnapshots(fake.repos, 5_000, 100, time.now);
    await snapshots.get("a");
    time.advance(4_999);
    await snapshots.get("a");
    expect(fake.loadsOf("a")).toBe(1);
    time.advance(1);
    await snapshots.get("a");
    expect(fake.loadsOf("a")).toBe(2);
    time.advance(4_999);
    await snapshots.get("a");
    expect(fake.loadsOf("a")).toBe(2);
  });

  test("an unknown id shares the load in flight, then is not kept", async () => {
    const fake = fakeRepos([]);
    const snapshots = new SpaceSnapshots(fake.repos);
    const open = fake.hold();
    const reads = [snapshots.get("nope"), snapshots.get("nope")];
    open();
    expect(await Promise.all(reads)).toEqual([null, null]);
    expect(fake.loadsOf("nope")).toBe(1);
    // Not cached: the next read asks again (the Space may have been created since).
    expect(await snapshots.get("nope")).toBeNull();
    expect(fake.loadsOf("nope")).toBe(2);
    expect(fake.calls.listForSpace).toBe(0);
  });

  test("a flood of unknown ids does not push out the Spaces that exist", async () => {
    const known = ["a", "b", "c"];
    const fake = fakeRepos(known);
    const snapshots = new SpaceSnapshots(fake.repos, 5_000, known.length);
    for (const id of known) await snapshots.get(id);
    for (let i = 0; i < 1_000; i++) expect(await snapshots.get(`random-${i}`)).toBeNull();
    for (const id of known) await snapshots.get(id);
    for (const id of known) expect(fake.loadsOf(id)).toBe(1);
  });

  test("nor does a flood of unknown ids loading all at once", async () => {
    const known = ["a", "b", "c"];
    const fake = fakeRepos(known);
    const snapshots = new SpaceSnapshots(fake.repos, 5_000, known.length);
    for (const id of known) await snapshots.get(id);
    const open = fake.hold();
    const misses = Array.from({ length: 1_000 }, (_, i) => snapshots.get(`random-${i}`));
    open();
    expect(new Set(await Promise.all(misses))).toEqual(new Set([null]));
    for (const id of known) await snapshots.get(id);
    for (const id of known) expect(fake.loadsOf(id)).toBe(1);
  });

  test("a load invalidated while in flight is not kept", async () => {
    const fake = fakeRepos(["a"]);
    const snapshots = new SpaceSnapshots(fake.repos);
    const open = fake.hold();
    const early = snapshots.get("a");
    snapshots.invalidate("a");
    const late = snapshots.get("a");
    expect(fake.loadsOf("a")).toBe(2);
    open();
    expect((await early)?.space.id).toBe("a");
    expect(await snapshots.get("a")).toBe(await late);
    expect(fake.loadsOf("a")).toBe(2);
  });

  test("past maxEntries the oldest entry goes, the most recent stay", async () => {
    const time = clock();
    const fake = fakeRepos(["a", "b", "c", "d", "e"]);
    const snapshots = new SpaceSnapshots(fake.repos, 5_000, 3, time.now);
    for (const id of ["a", "b", "c"]) await snapshots.get(id);
    await snapshots.get("d"); // a goes
    for (const id of ["b", "c", "d"]) await snapshots.get(id);
    expect(["a", "b", "c", "d"].map(fake.loadsOf)).toEqual([1, 1, 1, 1]);
    await snapshots.get("a"); // back, and b goes
    expect(fake.loadsOf("a")).toBe(2);
    for (const id of ["c", "d", "a"]) await snapshots.get(id);
    expect(["a", "c", "d"].map(fake.loadsOf)).toEqual([2, 1, 1]);
    await snapshots.get("b");
    expect(fake.loadsOf("b")).toBe(2);
  });

  test("a reload after expiry counts as recent: it is not the next to go", async () => {
    const time = clock();
    const fake = fakeRepos(["a", "b", "c", "d"]);
    const snapshots = new SpaceSnapshots(fake.repos, 5_000, 3, time.now);
    await snapshots.get("a");
    time.advance(1_000);
    await snapshots.get("b");
    await snapshots.get("c");
    time.advance(4_500); // a has expired, b and c have not
    await snapshots.get("a"); // reloaded: now the newest
    await snapshots.get("d"); // b goes, not a
    for (const id of ["a", "c", "d"]) await snapshots.get(id);
    expect(["a", "b", "c", "d"].map(fake.loadsOf)).toEqual([2, 1, 1, 1]);
    await snapshots.get("b");
    expect(fake.loadsOf("b")).toBe(2);
  });

  test("a failed load is not cached: the next read tries again", async () => {
    const fake = fakeRepos(["a"]);
    const snapshots = new SpaceSnapshots(fake.repos);
    fake.failNext();
    await expect(snapshots.get("a")).rejects.toThrow("database down");
    expect((await snapshots.get("a"))?.space.id).toBe("a");
    expect(fake.loadsOf("a")).toBe(2);
    await snapshots.get("a");
    expect(fake.loadsOf("a")).toBe(2);
  });

  test("concurrent reads of a failing load all see the failure, once", async () => {
    const fake = fakeRepos(["a"]);
    const snapshots = new SpaceSnapshots(fake.repos);
    const open = fake.hold();
    fake.failNext();
    const reads = [snapshots.get("a"), snapshots.get("a")];
    open();
    for (const read of reads) await expect(read).rejects.toThrow("database down");
    expect(fake.loadsOf("a")).toBe(1);
  });
});
