/**
 * One specification of the store, run against every database Amphi supports: PGlite in
 * memory, PGlite on disk (closed and reopened), and a real PostgreSQL server. Each run gets
 * a database of its own, so nothing here depends on another file or another run.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Participant } from "../../src/domain/spaces/stage.ts";
import { verifyChain } from "../../src/moderation/hash-chain.ts";
import { decisionStatement } from "../../src/moderation/statement-builder.ts";
import { migrate, openStore, type Store } from "../../src/store/database.ts";
import { migrationProvider } from "../../src/store/migrations/index.ts";
import type { AccountRecord } from "../../src/store/repositories/accounts-repository.ts";
import { type Repositories, repositories } from "../../src/store/repositories/index.ts";
import type { NewSpace, SpaceRecord } from "../../src/store/repositories/spaces-repository.ts";
import { createTestDatabase } from "../support/test-database.ts";

interface StoreUnderTest {
  store: Store;
  kind: Store["kind"];
  /** Closes the store and opens the same database again; absent for an in-memory one. */
  reopen?: () => Promise<Store>;
  /** Opens a second store on the same database while the first stays open (servers only). */
  openAnother?: () => Promise<Store>;
  dispose(): Promise<void>;
}

const unique = (prefix: string) => `${prefix}_${randomBytes(5).toString("hex")}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (iso: string) => new Date(iso);

interface Capabilities {
  /** The data outlives the store: it can be closed and opened again. */
  persistent: boolean;
  /** Several stores (processes) can use the database at once. */
  shared: boolean;
}

function describeStore(
  name: string,
  open: () => Promise<StoreUnderTest>,
  can: Capabilities = { persistent: false, shared: false },
): void {
  describe(name, () => {
    let sut: StoreUnderTest;
    let repos: Repositories;

    beforeAll(async () => {
      sut = await open();
      repos = repositories(sut.store.db);
    });

    afterAll(async () => {
      await sut?.dispose();
    });

    async function newAccount(displayName = "Someone"): Promise<AccountRecord> {
      const account = await repos.accounts.create({
        id: randomUUID(),
        handle: unique("h"),
        displayName,
        passwordHash: `hash-${randomUUID()}`,
      });
      if (!account) throw new Error("account not created");
      return account;
    }

    async function newSpace(hostId: string, patch: Partial<NewSpace> = {}): Promise<SpaceRecord> {
      return repos.spaces.create({
        id: randomUUID(),
        hostId,
        title: "A Space",
        description: "",
        state: "scheduled",
        scheduledFor: null,
        recording: false,
        speakerPolicy: "everyone",
        requireLogin: false,
        ...patch,
      });
    }

    test("opens with the expected kind and answers a ping", async () => {
      expect(sut.store.kind).toBe(sut.kind);
      await expect(sut.store.ping()).resolves.toBeUndefined();
    });

    describe("accounts", () => {
      test("create returns the stored account with an empty bio and a creation time", async () => {
        const before = Date.now();
        const id = randomUUID();
        const handle = unique("ada");
        const created = await repos.accounts.create({
          id,
          handle,
          displayName: "Ada Lovelace",
          passwordHash: "scrypt$abc",
        });
        expect(created).toEqual({
          id,
          handle,
          displayName: "Ada Lovelace",
          bio: "",
          createdAt: expect.any(Date),
        });
        // The database clock and ours may differ slightly; a minute either side is plenty.
        expect(Math.abs((created?.createdAt.getTime() ?? 0) - before)).toBeLessThan(60_000);
        expect(created).not.toHaveProperty("passwordHash");
      });

      test("a taken handle returns null and leaves the first account as it was", async () => {
        const first = await newAccount("First");
        const second = await repos.accounts.create({
          id: randomUUID(),
          handle: first.handle,
          displayName: "Second",
          passwordHash: "other",
        });
        expect(second).toBeNull();
        expect(await repos.accounts.findByHandle(first.handle)).toEqual(first);
        expect((await repos.accounts.findWithPassword(first.handle))?.displayName).toBe("First");
      });

      test("find by id and by handle; unknown ones are null", async () => {
        const account = await newAccount();
        expect(await repos.accounts.findById(account.id)).toEqual(account);
        expect(await repos.accounts.findByHandle(account.handle)).toEqual(account);
        expect(await repos.accounts.findById(randomUUID())).toBeNull();
        expect(await repos.accounts.findByHandle(unique("nobody"))).toBeNull();
      });

      test("findManyByIds returns the known accounts and skips unknown ids", async () => {
        const a = await newAccount("A");
        const b = await newAccount("B");
        const found = await repos.accounts.findManyByIds([a.id, randomUUID(), b.id]);
        expect(found.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
        expect(found.find((x) => x.id === a.id)).toEqual(a);
        expect(await repos.accounts.findManyByIds([])).toEqual([]);
        expect(await repos.accounts.findManyByIds([randomUUID()])).toEqual([]);
      });

      test("findWithPassword adds the password hash", async () => {
        const id = randomUUID();
        const handle = unique("pw");
        const created = await repos.accounts.create({
          id,
          handle,
          displayName: "Pw",
          passwordHash: "scrypt$salt$hash",
        });
        expect(await repos.accounts.findWithPassword(handle)).toEqual({
          ...created,
          passwordHash: "scrypt$salt$hash",
        });
        expect(await repos.accounts.findWithPassword(unique("nobody"))).toBeNull();
      });

      test("updateProfile changes only the fields given", async () => {
        const account = await newAccount("Before");
        const renamed = await repos.accounts.updateProfile(account.id, { displayName: "After" });
        expect(renamed).toEqual({ ...account, displayName: "After" });
        const withBio = await repos.accounts.updateProfile(account.id, { bio: "Hello 👋" });
        expect(withBio).toEqual({ ...account, displayName: "After", bio: "Hello 👋" });
        const both = await repos.accounts.updateProfile(account.id, { displayName: "B", bio: "" });
        expect(both).toEqual({ ...account, displayName: "B", bio: "" });
        expect(await repos.accounts.updateProfile(account.id, {})).toEqual(both);
        expect(await repos.accounts.findById(account.id)).toEqual(both);
        // The password is not part of a profile.
        expect((await repos.accounts.findWithPassword(account.handle))?.passwordHash).toMatch(
          /^hash-/,
        );
      });

      test("updateProfile of an unknown account is null", async () => {
        expect(await repos.accounts.updateProfile(randomUUID(), { displayName: "X" })).toBeNull();
        expect(await repos.accounts.updateProfile(randomUUID(), {})).toBeNull();
      });
    });

    describe("sessions", () => {
      const now = at("2030-01-01T12:00:00.000Z");
      const later = at("2030-01-31T12:00:00.000Z");

      test("a live session finds its account until it expires", async () => {
        const account = await newAccount();
        const token = unique("token");
        await repos.sessions.create(token, account.id, later);
        expect(await repos.sessions.findAccountId(token, now)).toBe(account.id);
        expect(await repos.sessions.findAccountId(token, new Date(later.getTime() - 1))).toBe(
          account.id,
        );
        // Expired at its expiry instant and after.
        expect(await repos.sessions.findAccountId(token, later)).toBeNull();
        expect(await repos.sessions.findAccountId(token, at("2031-01-01T00:00:00Z"))).toBeNull();
        expect(await repos.sessions.findAccountId(unique("unknown"), now)).toBeNull();
      });

      test("delete ends one session and leaves the account's others", async () => {
        const account = await newAccount();
        const [a, b] = [unique("token"), unique("token")];
        await repos.sessions.create(a, account.id, later);
        await repos.sessions.create(b, account.id, later);
        await repos.sessions.delete(a);
        expect(await repos.sessions.findAccountId(a, now)).toBeNull();
        expect(await repos.sessions.findAccountId(b, now)).toBe(account.id);
        await expect(repos.sessions.delete(a)).resolves.toBeUndefined();
      });

      test("a session needs an existing account", async () => {
        await expect(repos.sessions.create(unique("token"), randomUUID(), later)).rejects.toThrow();
      });

      test("deleteExpired removes only expired sessions and counts them", async () => {
        const account = await newAccount();
        // Far in the past so sessions made by other tests (which expire in 2030) are untouched.
        const old1 = unique("old");
        const old2 = unique("old");
        const live = unique("live");
        await repos.sessions.create(old1, account.id, at("2001-01-01T00:00:00Z"));
        await repos.sessions.create(old2, account.id, at("2001-06-01T00:00:00Z"));
        await repos.sessions.create(live, account.id, at("2002-01-01T00:00:00Z"));
        const cutoff = at("2001-06-01T00:00:00Z"); // expiring exactly now counts as expired
        expect(await repos.sessions.deleteExpired(cutoff)).toBe(2);
        expect(await repos.sessions.deleteExpired(cutoff)).toBe(0);
        expect(await repos.sessions.findAccountId(live, cutoff)).toBe(account.id);
        expect(await repos.sessions.findAccountId(old1, at("2000-01-01T00:00:00Z"))).toBeNull();
      });

      test("lists an account's sessions with their details and ends them by id or all but one", async () => {
        const [account, other] = [await newAccount(), await newAccount()];
        const [a, b, c] = [unique("token"), unique("token"), unique("token")];
        const idA = await repos.sessions.create(a, account.id, later, { userAgent: "Agent A" });
        await repos.sessions.create(b, account.id, later);
        await repos.sessions.create(c, account.id, later);
        await repos.sessions.touch(a, at("2030-01-02T00:00:00.000Z"));
        const list = await repos.sessions.listForAccount(account.id, now);
        expect(list.map((s) => s.tokenHash)[0]).toBe(a);
        expect(list).toHaveLength(3);
        expect(list[0]).toMatchObject({ id: idA, userAgent: "Agent A" });
        expect(list[0]?.lastSeenAt.toISOString()).toBe("2030-01-02T00:00:00.000Z");
        expect((await repos.sessions.findLive(a, now))?.id).toBe(idA);
        // Another account cannot end it; its owner can.
        expect(await repos.sessions.deleteById(other.id, idA)).toBeNull();
        expect(await repos.sessions.deleteById(account.id, idA)).toBe(a);
        expect((await repos.sessions.deleteForAccount(account.id, c)).sort()).toEqual([b]);
        expect(await repos.sessions.findAccountId(c, now)).toBe(account.id);
        expect(await repos.sessions.deleteForAccount(account.id)).toEqual([c]);
      });

      test("remembers a known device per account, by handle", async () => {
        const [account, other] = [await newAccount(), await newAccount()];
        const device = unique("device");
        await repos.knownDevices.remember(account.id, device, now);
        await repos.knownDevices.remember(account.id, device, later);
        expect(await repos.knownDevices.isKnown(account.handle, device)).toBe(true);
        expect(await repos.knownDevices.isKnown(other.handle, device)).toBe(false);
        await repos.knownDevices.remember(account.id, unique("device"), now);
        await repos.knownDevices.forgetOthers(account.id, device);
        expect(await repos.knownDevices.isKnown(account.handle, device)).toBe(true);
        await repos.knownDevices.forgetOthers(account.id, null);
        expect(await repos.knownDevices.isKnown(account.handle, device)).toBe(false);
      });
    });

    describe("follows", () => {
      test("follow is idempotent and directed", async () => {
        const [a, b] = [await newAccount(), await newAccount()];
        await repos.follows.follow(a.id, b.id);
        await repos.follows.follow(a.id, b.id);
        expect(await repos.follows.isFollowing(a.id, b.id)).toBe(true);
        expect(await repos.follows.isFollowing(b.id, a.id)).toBe(false);
        expect(await repos.follows.counts(a.id)).toEqual({ followers: 0, following: 1 });
        expect(await repos.follows.counts(b.id)).toEqual({ followers: 1, following: 0 });
      });

      test("unfollow removes the edge, and unfollowing again is harmless", async () => {
        const [a, b] = [await newAccount(), await newAccount()];
        await repos.follows.follow(a.id, b.id);
        await repos.follows.follow(b.id, a.id);
        await repos.follows.unfollow(a.id, b.id);
        expect(await repos.follows.isFollowing(a.id, b.id)).toBe(false);
        expect(await repos.follows.isFollowing(b.id, a.id)).toBe(true);
        await expect(repos.follows.unfollow(a.id, b.id)).resolves.toBeUndefined();
        expect(await repos.follows.counts(a.id)).toEqual({ followers: 1, following: 0 });
      });

      test("counts are numbers, zero for a newcomer", async () => {
        const loner = await newAccount();
        const counts = await repos.follows.counts(loner.id);
        expect(counts).toEqual({ followers: 0, following: 0 });
        expect(typeof counts.followers).toBe("number");
      });

      test("counts and followeeIds over several accounts", async () => {
        const [fan, x, y, z] = [
          await newAccount(),
          await newAccount(),
          await newAccount(),
          await newAccount(),
        ];
        for (const target of [x, y, z]) await repos.follows.follow(fan.id, target.id);
        await repos.follows.follow(x.id, y.id);
        expect((await repos.follows.followeeIds(fan.id)).sort()).toEqual([x.id, y.id, z.id].sort());
        expect(await repos.follows.followeeIds(y.id)).toEqual([]);
        expect(await repos.follows.counts(fan.id)).toEqual({ followers: 0, following: 3 });
        expect(await repos.follows.counts(y.id)).toEqual({ followers: 2, following: 0 });
        expect(await repos.follows.counts(x.id)).toEqual({ followers: 1, following: 1 });
      });

      test("following an unknown account fails", async () => {
        const a = await newAccount();
        await expect(repos.follows.follow(a.id, randomUUID())).rejects.toThrow();
        expect(await repos.follows.counts(a.id)).toEqual({ followers: 0, following: 0 });
      });
    });

    describe("spaces", () => {
      test("create stores every field; start and end times are empty", async () => {
        const host = await newAccount();
        const id = randomUUID();
        const scheduledFor = at("2030-05-01T18:30:00.123Z");
        const created = await repos.spaces.create({
          id,
          hostId: host.id,
          title: "Morning show ☕",
          description: "News and coffee",
          state: "scheduled",
          scheduledFor,
          recording: true,
          speakerPolicy: "followed",
          requireLogin: true,
        });
        expect(created).toEqual({
          id,
          hostId: host.id,
          title: "Morning show ☕",
          description: "News and coffee",
          state: "scheduled",
          scheduledFor,
          startedAt: null,
          endedAt: null,
          recording: true,
          speakerPolicy: "followed",
          requireLogin: true,
          audience: null,
          recordingDeleted: null,
          createdAt: expect.any(Date),
        });
        expect(await repos.spaces.findById(id)).toEqual(created);
        expect(await repos.spaces.findById(randomUUID())).toBeNull();
      });

      test("a Space needs an existing host", async () => {
        await expect(newSpace(randomUUID())).rejects.toThrow();
      });

      test("setState records started_at and ended_at", async () => {
        const host = await newAccount();
        const space = await newSpace(host.id);
        const started = at("2030-01-01T10:00:00.000Z");
        const ended = at("2030-01-01T11:15:00.500Z");
        const live = await repos.spaces.setState(space.id, "live", started, "started_at");
        expect(live).toEqual({ ...space, state: "live", startedAt: started });
        const over = await repos.spaces.setState(space.id, "ended", ended, "ended_at");
        expect(over).toEqual({ ...space, state: "ended", startedAt: started, endedAt: ended });
        expect(await repos.spaces.findById(space.id)).toEqual(over);
      });

      test("setState without a column only changes the state", async () => {
        const host = await newAccount();
        const space = await newSpace(host.id, { scheduledFor: at("2030-02-02T02:02:02Z") });
        const cancelled = await repos.spaces.setState(
          space.id,
          "cancelled",
          at("2030-01-01T00:00:00Z"),
          null,
        );
        expect(cancelled).toEqual({ ...space, state: "cancelled" });
      });

      test("setState of an unknown Space throws", async () => {
        await expect(
          repos.spaces.setState(randomUUID(), "live", new Date(), "started_at"),
        ).rejects.toThrow();
      });

      test("saveAudience stores the figures once the Space ends, keeping the larger on a repeat", async () => {
        const host = await newAccount();
        const space = await newSpace(host.id);
        expect((await repos.spaces.findById(space.id))?.audience).toBeNull();
        await repos.spaces.saveAudience(space.id, { peakListeners: 120, uniqueListeners: 300 });
        await repos.spaces.saveAudience(space.id, { peakListeners: 90, uniqueListeners: 310 });
        expect((await repos.spaces.findById(space.id))?.audience).toEqual({
          peakListeners: 120,
          uniqueListeners: 310,
        });
      });

      test("lockById reads the Space inside a transaction and holds others off until commit", async () => {
        const host = await newAccount();
        const space = await newSpace(host.id);
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        let locked!: () => void;
        const lockTaken = new Promise<void>((resolve) => {
          locked = resolve;
        });
        const events: string[] = [];

        const holder = sut.store.db.transaction().execute(async (trx) => {
          const inTx = repositories(trx);
          const seen = await inTx.spaces.lockById(space.id);
          expect(seen).toEqual(space);
          expect(await inTx.spaces.lockById(randomUUID())).toBeNull();
          locked();
          await gate;
          await inTx.spaces.setState(space.id, "live", at("2030-01-01T10:00:00Z"), "started_at");
          events.push("holder committed");
        });

        await lockTaken;
        const contender = repos.spaces
          .setState(space.id, "ended", at("2030-01-01T11:00:00Z"), "ended_at")
          .then((record) => {
            events.push("contender wrote");
            return record;
          });
        await sleep(150);
        expect(events).toEqual([]);
        release();
        await holder;
        const final = await contender;
        expect(events).toEqual(["holder committed", "contender wrote"]);
        // The contender saw the holder's write: both times are set.
        expect(final).toMatchObject({
          state: "ended",
          startedAt: at("2030-01-01T10:00:00Z"),
          endedAt: at("2030-01-01T11:00:00Z"),
        });
      });

      test("a rolled-back transaction leaves no trace", async () => {
        const host = await newAccount();
        const space = await newSpace(host.id);
        await expect(
          sut.store.db.transaction().execute(async (trx) => {
            await repositories(trx).spaces.setState(space.id, "live", new Date(), "started_at");
            throw new Error("changed my mind");
          }),
        ).rejects.toThrow("changed my mind");
        expect(await repos.spaces.findById(space.id)).toEqual(space);
      });

      test("scheduled Spaces list soonest first, then by creation", async () => {
        const host = await newAccount();
        const late = await newSpace(host.id, { scheduledFor: at("2030-03-03T00:00:00Z") });
        const soon = await newSpace(host.id, { scheduledFor: at("2030-01-01T00:00:00Z") });
        await sleep(5); // distinct creation times for the tie below
        const tieA = await newSpace(host.id, { scheduledFor: at("2030-02-02T00:00:00Z") });
        await sleep(5);
        const tieB = await newSpace(host.id, { scheduledFor: at("2030-02-02T00:00:00Z") });
        const liveOne = await newSpace(host.id);
        await repos.spaces.setState(liveOne.id, "live", new Date(), "started_at");

        const listed = await repos.spaces.list({ state: "scheduled", hostId: host.id, limit: 10 });
        expect(listed.map((s) => s.id)).toEqual([soon.id, tieA.id, tieB.id, late.id]);
        expect(listed[0]).toEqual(soon);
      });

      test("live Spaces list newest start first; ended ones newest end first", async () => {
        const host = await newAccount();
        const spaces = [await newSpace(host.id), await newSpace(host.id), await newSpace(host.id)];
        const starts = ["2030-01-01T10:00:00Z", "2030-01-01T12:00:00Z", "2030-01-01T11:00:00Z"];
        for (const [i, space] of spaces.entries()) {
          await repos.spaces.setState(space.id, "live", at(starts[i] as string), "started_at");
        }
        const live = await repos.spaces.list({ state: "live", hostId: host.id, limit: 10 });
        expect(live.map((s) => s.startedAt?.toISOString())).toEqual([
          "2030-01-01T12:00:00.000Z",
          "2030-01-01T11:00:00.000Z",
          "2030-01-01T10:00:00.000Z",
        ]);
        expect(live.every((s) => s.state === "live")).toBe(true);

        const ends = ["2030-01-01T15:00:00Z", "2030-01-01T13:00:00Z", "2030-01-01T14:00:00Z"];
        for (const [i, space] of spaces.entries()) {
          await repos.spaces.setState(space.id, "ended", at(ends[i] as string), "ended_at");
        }
        expect(await repos.spaces.list({ state: "live", hostId: host.id, limit: 10 })).toEqual([]);
        const ended = await repos.spaces.list({ state: "ended", hostId: host.id, limit: 10 });
        expect(ended.map((s) => s.id)).toEqual([spaces[0]?.id, spaces[2]?.id, spaces[1]?.id]);
      });

      test("list filters by host and state, and honours the limit", async () => {
        const [alice, bob] = [await newAccount(), await newAccount()];
        const mine = [];
        for (let i = 0; i < 4; i++) {
          mine.push(await newSpace(alice.id, { scheduledFor: at(`2031-01-0${i + 1}T00:00:00Z`) }));
        }
        await newSpace(bob.id, { scheduledFor: at("2031-01-01T00:00:00Z") });
        const cancelled = await newSpace(alice.id, { scheduledFor: at("2031-01-01T00:00:00Z") });
        await repos.spaces.setState(cancelled.id, "cancelled", new Date(), null);

        const two = await repos.spaces.list({ state: "scheduled", hostId: alice.id, limit: 2 });
        expect(two.map((s) => s.id)).toEqual([mine[0]?.id, mine[1]?.id]);
        const all = await repos.spaces.list({ state: "scheduled", hostId: alice.id, limit: 50 });
        expect(all.map((s) => s.id)).toEqual(mine.map((s) => s.id));
        expect(all.every((s) => s.hostId === alice.id)).toBe(true);

        // Without a host: everyone's scheduled Spaces, in order, never another state.
        const everyone = await repos.spaces.list({ state: "scheduled", limit: 1000 });
        expect(everyone.every((s) => s.state === "scheduled")).toBe(true);
        expect(everyone.some((s) => s.hostId === bob.id)).toBe(true);
        expect(everyone.some((s) => s.id === cancelled.id)).toBe(false);
        const times = everyone.map((s) => s.scheduledFor?.getTime() ?? Number.POSITIVE_INFINITY);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(await repos.spaces.list({ state: "scheduled", limit: 3 })).toHaveLength(3);
      });
    });

    describe("participants", () => {
      const person = (accountId: string, patch: Partial<Participant> = {}): Participant => ({
        accountId,
        role: "listener",
        pending: "none",
        muted: false,
        removed: false,
        ...patch,
      });

      test("save inserts, find reads back, unknown is null", async () => {
        const host = await newAccount();
        const guest = await newAccount();
        const space = await newSpace(host.id);
        const hostRow = person(host.id, { role: "host" });
        const guestRow = person(guest.id, { pending: "requested" });
        await repos.participants.save(space.id, [hostRow, guestRow], new Date());
        expect(await repos.participants.find(space.id, host.id)).toEqual(hostRow);
        expect(await repos.participants.find(space.id, guest.id)).toEqual(guestRow);
        expect(await repos.participants.find(space.id, randomUUID())).toBeNull();
        expect(await repos.participants.find(randomUUID(), host.id)).toBeNull();
        const listed = await repos.participants.listForSpace(space.id);
        expect(listed).toHaveLength(2);
        expect(listed).toEqual(expect.arrayContaining([hostRow, guestRow]));
      });

      test("save upserts: a second save replaces the row and moves it to the end", async () => {
        const host = await newAccount();
        const [a, b] = [await newAccount(), await newAccount()];
        const space = await newSpace(host.id);
        await repos.participants.save(
          space.id,
          [person(host.id, { role: "host" })],
          at("2030-01-01T00:00:01Z"),
        );
        await repos.participants.save(
          space.id,
          [person(a.id, { pending: "requested" })],
          at("2030-01-01T00:00:02Z"),
        );
        await repos.participants.save(
          space.id,
          [person(b.id, { pending: "invitedSpeaker" })],
          at("2030-01-01T00:00:03Z"),
        );
        expect((await repos.participants.listForSpace(space.id)).map((p) => p.accountId)).toEqual([
          host.id,
          a.id,
          b.id,
        ]);

        const promoted = person(a.id, { role: "speaker", muted: true });
        await repos.participants.save(space.id, [promoted], at("2030-01-01T00:00:04Z"));
        const listed = await repos.participants.listForSpace(space.id);
        expect(listed.map((p) => p.accountId)).toEqual([host.id, b.id, a.id]);
        expect(listed[2]).toEqual(promoted);
        expect(listed).toHaveLength(3);

        const removed = person(a.id, { removed: true });
        await repos.participants.save(space.id, [removed], at("2030-01-01T00:00:05Z"));
        expect(await repos.participants.find(space.id, a.id)).toEqual(removed);
      });

      test("saving nobody is a no-op; rows belong to one Space", async () => {
        const host = await newAccount();
        const guest = await newAccount();
        const [one, two] = [await newSpace(host.id), await newSpace(host.id)];
        await repos.participants.save(one.id, [], new Date());
        expect(await repos.participants.listForSpace(one.id)).toEqual([]);
        await repos.participants.save(one.id, [person(guest.id, { role: "speaker" })], new Date());
        await repos.participants.save(two.id, [person(guest.id, { removed: true })], new Date());
        expect(await repos.participants.listForSpace(one.id)).toEqual([
          person(guest.id, { role: "speaker" }),
        ]);
        expect(await repos.participants.listForSpace(two.id)).toEqual([
          person(guest.id, { removed: true }),
        ]);
        expect(await repos.participants.listForSpace(randomUUID())).toEqual([]);
      });

      test("a participant needs an existing Space and account", async () => {
        const host = await newAccount();
        const space = await newSpace(host.id);
        await expect(
          repos.participants.save(randomUUID(), [person(host.id)], new Date()),
        ).rejects.toThrow();
        await expect(
          repos.participants.save(space.id, [person(randomUUID())], new Date()),
        ).rejects.toThrow();
      });
    });

    describe("reminders and calendar", () => {
      test("save upserts one reminder per person, keeps its creation time; delete says if it did", async () => {
        const host = await newAccount();
        const fan = await newAccount();
        const space = await newSpace(host.id);
        const first = await repos.reminders.save(space.id, fan.id, {
          at24h: true,
          at1h: true,
          atStart: true,
        });
        const changed = await repos.reminders.save(space.id, fan.id, {
          at24h: false,
          at1h: true,
          atStart: false,
        });
        expect(changed).toMatchObject({ at24h: false, at1h: true, atStart: false });
        expect(changed.createdAt).toEqual(first.createdAt);
        expect(await repos.reminders.count(space.id)).toBe(1);
        expect(await repos.reminders.find(space.id, host.id)).toBeNull();
        expect(await repos.reminders.delete(space.id, fan.id)).toBe(true);
        expect(await repos.reminders.delete(space.id, fan.id)).toBe(false);
        expect(await repos.reminders.count(space.id)).toBe(0);
      });

      test("remindersDue walks one moment's accounts in id order, in keyset batches", async () => {
        const host = await newAccount();
        const space = await newSpace(host.id);
        const other = await newSpace(host.id);
        const fans = await Promise.all(Array.from({ length: 5 }, () => newAccount()));
        for (const [i, fan] of fans.entries()) {
          await repos.reminders.save(space.id, fan.id, {
            at24h: true,
            at1h: i < 3,
            atStart: false,
          });
          await repos.reminders.save(other.id, fan.id, { at24h: true, at1h: true, atStart: true });
        }
        const ids = fans.map((f) => f.id).sort();
        const a = await repos.reminders.remindersDue(space.id, "24h", { batchSize: 2 });
        const b = await repos.reminders.remindersDue(space.id, "24h", {
          batchSize: 2,
          after: a.next,
        });
        const c = await repos.reminders.remindersDue(space.id, "24h", {
          batchSize: 2,
          after: b.next,
        });
        expect([a.accountIds, b.accountIds, c.accountIds]).toEqual([
          ids.slice(0, 2),
          ids.slice(2, 4),
          ids.slice(4),
        ]);
        expect(c.next).toBeNull();
        expect((await repos.reminders.remindersDue(space.id, "1h")).accountIds).toEqual(
          fans
            .slice(0, 3)
            .map((f) => f.id)
            .sort(),
        );
        expect(await repos.reminders.remindersDue(space.id, "start")).toEqual({
          accountIds: [],
          next: null,
        });
      });

      test("reminders go with their Space and their account", async () => {
        const host = await newAccount();
        const fan = await newAccount();
        const space = await newSpace(host.id);
        await repos.reminders.save(space.id, fan.id, { at24h: true, at1h: true, atStart: true });
        await expect(
          repos.reminders.save(randomUUID(), fan.id, { at24h: true, at1h: true, atStart: true }),
        ).rejects.toThrow();
        await sut.store.db.deleteFrom("spaces").where("id", "=", space.id).execute();
        expect(await repos.reminders.count(space.id)).toBe(0);
      });

      test("the calendar reads a Space with its host, and a host's upcoming and recent ones", async () => {
        const host = await newAccount("Ann");
        const planned = await newSpace(host.id, { scheduledFor: at("2030-01-01T20:00:00Z") });
        const old = await newSpace(host.id);
        await repos.spaces.setState(old.id, "cancelled", at("2020-01-01T00:00:00Z"), null);
        const recent = await newSpace(host.id);
        await repos.spaces.setState(recent.id, "live", new Date(), "started_at");
        await repos.spaces.setState(recent.id, "ended", new Date(), "ended_at");
        const one = await repos.calendar.space(planned.id);
        expect(one).toMatchObject({
          id: planned.id,
          state: "scheduled",
          scheduledFor: at("2030-01-01T20:00:00Z"),
          host: { handle: host.handle, displayName: "Ann" },
        });
        expect(one?.updatedAt).toBeInstanceOf(Date);
        expect(await repos.calendar.space(randomUUID())).toBeNull();
        const feed = await repos.calendar.hostSpaces(host.id, at("2025-01-01T00:00:00Z"), 10);
        expect(feed.map((s) => s.id).sort()).toEqual([planned.id, recent.id].sort());
      });
    });

    describe("moderation", () => {
      const statementOf = (id: string, affected: string | null, createdAt: Date) =>
        decisionStatement({
          id,
          notice: {
            id: unique("rep"),
            targetType: "account",
            targetId: affected ?? "gone",
            category: "TERMS_SPAM",
            source: "SOURCE_ARTICLE_16",
            moment: null,
            offsetSeconds: null,
            createdAt,
          },
          decision: {
            action: "suspend",
            groundReference: "Terms 1",
            explanation: "Spam",
            durationDays: 3,
          },
          affectedAccountId: affected,
          moderatorId: "mod",
          now: createdAt,
        });

      test("roles are granted and revoked once", async () => {
        const a = await newAccount();
        expect(await repos.roles.grant(a.id, "moderator")).toBe(true);
        expect(await repos.roles.grant(a.id, "moderator")).toBe(false);
        expect(await repos.roles.grant(a.id, "admin")).toBe(true);
        expect(await repos.roles.rolesOf(a.id)).toEqual(["admin", "moderator"]);
        expect(await repos.roles.revoke(a.id, "admin")).toBe(true);
        expect(await repos.roles.revoke(a.id, "admin")).toBe(false);
        expect(await repos.roles.rolesOf(a.id)).toEqual(["moderator"]);
      });

      test("the report queue puts trusted flaggers first, then the oldest; decided ones leave it", async () => {
        const base = {
          targetType: "space" as const,
          targetId: "sp",
          offsetSeconds: 12.5,
          moment: "live" as const,
          category: "TERMS_SPAM" as const,
          ground: "terms" as const,
          explanation: "x",
          reporterId: null,
          reporterName: null,
          reporterEmail: "a@example.com",
          tokenHash: "h",
        };
        const t0 = Date.now() + 10 * 86_400_000; // after every other row of this database
        const older = await repos.reports.create({
          ...base,
          id: unique("rep"),
          source: "SOURCE_ARTICLE_16",
          priority: 1,
          createdAt: new Date(t0),
        });
        const newer = await repos.reports.create({
          ...base,
          id: unique("rep"),
          source: "SOURCE_ARTICLE_16",
          priority: 1,
          createdAt: new Date(t0 + 1000),
        });
        const trusted = await repos.reports.create({
          ...base,
          id: unique("rep"),
          source: "SOURCE_TRUSTED_FLAGGER",
          priority: 0,
          createdAt: new Date(t0 + 2000),
        });
        expect(older).toMatchObject({ offsetSeconds: 12.5, moment: "live", status: "open" });
        const ids = (await repos.reports.queue("open", 10_000)).map((r) => r.id);
        expect(ids.indexOf(trusted.id)).toBeLessThan(ids.indexOf(older.id));
        expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
        await repos.reports.markDecided(older.id, {
          action: "dismiss",
          statementId: "st",
          at: new Date(t0 + 5000),
        });
        expect((await repos.reports.findById(older.id))?.decisionAction).toBe("dismiss");
        expect((await repos.reports.queue("open", 10_000)).map((r) => r.id)).not.toContain(
          older.id,
        );
        expect((await repos.reports.queue("decided", 1)).map((r) => r.id)).toEqual([older.id]);
        await repos.reports.reopen(older.id);
        expect((await repos.reports.findById(older.id))?.status).toBe("open");
        const window = await repos.reports.receivedBetween(new Date(t0), new Date(t0 + 1500));
        expect(window.map((r) => r.id).sort()).toEqual([older.id, newer.id].sort());
      });

      test("statements round-trip, list per account and export restrictive ones of a period", async () => {
        const a = await newAccount();
        const at = new Date(Date.now() + 20 * 86_400_000);
        const s = statementOf(unique("st"), a.id, at);
        await repos.statements.create(s);
        expect(await repos.statements.findById(s.id)).toEqual(s);
        const warn = {
          ...statementOf(unique("st"), a.id, new Date(at.getTime() + 1)),
          restrictive: false,
        };
        await repos.statements.create(warn);
        expect((await repos.statements.forAccount(a.id, 10)).map((x) => x.id)).toEqual([
          warn.id,
          s.id,
        ]);
        const exported = await repos.statements.restrictiveBetween(at, new Date(at.getTime() + 10));
        expect(exported.map((x) => x.id)).toEqual([s.id]);
      });

      test("restrictions are in force until they end or are lifted", async () => {
        const a = await newAccount();
        const now = new Date();
        const statementId = unique("st");
        await repos.restrictions.create({
          id: unique("rs"),
          statementId,
          kind: "suspend",
          subjectType: "account",
          subjectId: a.id,
          startsAt: now,
          endsAt: new Date(now.getTime() + 60_000),
        });
        await repos.restrictions.create({
          id: unique("rs"),
          statementId: unique("st"),
          kind: "limit_reach",
          subjectType: "space",
          subjectId: "sp-old",
          startsAt: new Date(now.getTime() - 120_000),
          endsAt: new Date(now.getTime() - 60_000),
        });
        expect((await repos.restrictions.activeSuspension(a.id, now))?.statementId).toBe(
          statementId,
        );
        expect(
          await repos.restrictions.activeSuspension(a.id, new Date(now.getTime() + 120_000)),
        ).toBeNull();
        const reach = await repos.restrictions.active(now, "limit_reach");
        expect(reach.map((r) => r.subjectId)).not.toContain("sp-old");
        expect(await repos.restrictions.liftForStatement(statementId, now)).toHaveLength(1);
        expect(await repos.restrictions.activeSuspension(a.id, now)).toBeNull();
      });

      test("an appeal is lodged once per appellant and decided once", async () => {
        const statementId = unique("st");
        const first = await repos.appeals.create({
          id: unique("ap"),
          statementId,
          appellant: "affected",
          appellantAccountId: null,
          explanation: "Please",
          createdAt: new Date(),
        });
        expect(first?.status).toBe("pending");
        const again = await repos.appeals.create({
          id: unique("ap"),
          statementId,
          appellant: "affected",
          appellantAccountId: null,
          explanation: "Again",
          createdAt: new Date(),
        });
        expect(again).toBeNull();
        const decided = await repos.appeals.decide(first?.id ?? "", {
          status: "reversed",
          at: new Date(),
          by: "m2",
          explanation: "Yes",
          reversalStatementId: "st_rev",
        });
        expect(decided).toMatchObject({
          status: "reversed",
          decidedBy: "m2",
          reversalStatementId: "st_rev",
        });
        expect((await repos.appeals.queue("pending", 10_000)).map((x) => x.id)).not.toContain(
          decided.id,
        );
      });

      test("the audit log chains every row and refuses changes, deletions and truncation", async () => {
        for (let i = 0; i < 3; i++) {
          await repos.auditLog.append({
            actor: "test",
            action: "role.grant",
            subject: `account:${i}`,
            details: { i, text: 'ünïcode "quoted"' },
            at: new Date(),
          });
        }
        const rows = [];
        for await (const row of repos.auditLog.rows(2)) rows.push(row);
        expect(rows.length).toBeGreaterThanOrEqual(3);
        expect(await verifyChain(rows)).toMatchObject({ ok: true, rows: rows.length });
        await expect(sql`update audit_log set actor = 'x'`.execute(sut.store.db)).rejects.toThrow(
          /append-only/,
        );
        await expect(sql`delete from audit_log`.execute(sut.store.db)).rejects.toThrow(
          /append-only/,
        );
        await expect(sql`truncate audit_log`.execute(sut.store.db)).rejects.toThrow(/append-only/);
        // Appends from concurrent transactions still form one chain.
        await Promise.all(
          [1, 2, 3, 4].map((i) =>
            repos.auditLog.append({
              actor: "c",
              action: "x",
              subject: `s${i}`,
              details: {},
              at: new Date(),
            }),
          ),
        );
        const after = [];
        for await (const row of repos.auditLog.rows()) after.push(row);
        expect(await verifyChain(after)).toMatchObject({ ok: true, rows: rows.length + 4 });
      });
    });

    describe("migrations", () => {
      /** Every migration the code knows, by name: all must be applied, once. */
      let allMigrations: string[] = [];
      beforeAll(async () => {
        allMigrations = Object.keys(await migrationProvider.getMigrations()).sort();
      });
      async function appliedMigrations(store: Store): Promise<string[]> {
        const result = await sql<{
          name: string;
        }>`select name from kysely_migration order by name`.execute(store.db);
        return result.rows.map((r) => r.name);
      }

      test("migrating an up-to-date database changes nothing", async () => {
        const account = await newAccount();
        await migrate(sut.store.db);
        await migrate(sut.store.db);
        expect(await appliedMigrations(sut.store)).toEqual(allMigrations);
        expect(await repos.accounts.findById(account.id)).toEqual(account);
      });

      test.runIf(can.shared)(
        "a second store can open the same database while the first is open",
        async () => {
          const account = await newAccount();
          const other = await sut.openAnother?.();
          if (!other) throw new Error("openAnother is required for a server database");
          try {
            expect(await repositories(other.db).accounts.findById(account.id)).toEqual(account);
            expect(await appliedMigrations(other)).toEqual(allMigrations);
          } finally {
            await other.close();
          }
        },
      );

      // Last: it replaces the store every test above used.
      test.runIf(can.persistent)(
        "everything survives closing and reopening the store",
        async () => {
          if (!sut.reopen) throw new Error("reopen is required for a persistent database");
          const host = await newAccount("Persistent");
          const space = await newSpace(host.id, { scheduledFor: at("2030-09-09T09:09:09Z") });
          await repos.follows.follow(host.id, (await newAccount()).id);
          await repos.participants.save(
            space.id,
            [{ accountId: host.id, role: "host", pending: "none", muted: true, removed: false }],
            new Date(),
          );
          await repos.sessions.create("persistent-token", host.id, at("2099-01-01T00:00:00Z"));

          const reopened = await sut.reopen();
          const again = repositories(reopened.db);
          repos = again;
          expect(await appliedMigrations(reopened)).toEqual(allMigrations);
          expect(await again.accounts.findById(host.id)).toEqual(host);
          expect(await again.spaces.findById(space.id)).toEqual(space);
          expect(await again.follows.counts(host.id)).toEqual({ followers: 0, following: 1 });
          expect(await again.participants.find(space.id, host.id)).toMatchObject({ muted: true });
          expect(await again.sessions.findAccountId("persistent-token", new Date())).toBe(host.id);
        },
      );
    });
  });
}

describeStore("PGlite in memory", async () => {
  const store = await openStore({});
  return { store, kind: "pglite", dispose: () => store.close() };
});

describeStore(
  "PGlite on disk",
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "amphi-store-test-"));
    const sut: StoreUnderTest = {
      store: await openStore({ dataDir }),
      kind: "pglite",
      reopen: async () => {
        await sut.store.close();
        sut.store = await openStore({ dataDir });
        return sut.store;
      },
      dispose: async () => {
        await sut.store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
    return sut;
  },
  { persistent: true, shared: false },
);

describeStore(
  "PostgreSQL server",
  async () => {
    const database = await createTestDatabase();
    const sut: StoreUnderTest = {
      store: await openStore({ databaseUrl: database.url }),
      kind: "postgres",
      reopen: async () => {
        await sut.store.close();
        sut.store = await openStore({ databaseUrl: database.url });
        return sut.store;
      },
      openAnother: () => openStore({ databaseUrl: database.url }),
      dispose: async () => {
        await sut.store.close();
        await database.drop();
      },
    };
    return sut;
  },
  { persistent: true, shared: true },
);
