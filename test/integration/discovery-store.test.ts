/**
 * Discovery's reads against every database Amphi supports (PGlite in memory and a real
 * PostgreSQL server): "Live now" computed on read for someone following 2,000 hosts, the
 * ranking of popular lists, full-text search with prefixes, a host's Spaces and clips.
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SpaceDocument } from "../../src/contracts/space-contracts.ts";
import { DiscoveryQueries } from "../../src/discovery/discovery-queries.ts";
import {
  DiscoveryService,
  type DiscoverySettings,
  defaultDiscoverySettings,
} from "../../src/discovery/discovery-service.ts";
import { SearchQueries } from "../../src/discovery/search-queries.ts";
import type { SpaceDocuments } from "../../src/discovery/space-documents.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { repositories } from "../../src/store/repositories/index.ts";
import { createTestDatabase } from "../support/test-database.ts";

const minute = 60_000;

/** Plain documents straight from the rows (the server uses the snapshot cache instead). */
function rowDocuments(store: Store): SpaceDocuments {
  return {
    documents: async (ids) => {
      if (ids.length === 0) return [];
      const rows = await store.db
        .selectFrom("spaces")
        .innerJoin("accounts", "accounts.id", "spaces.host_id")
        .select([
          "spaces.id",
          "spaces.title",
          "spaces.description",
          "spaces.state",
          "spaces.recording",
          "spaces.scheduled_for",
          "spaces.started_at",
          "spaces.ended_at",
          "spaces.created_at",
          "accounts.id as host_id",
          "accounts.handle",
          "accounts.display_name",
        ])
        .where("spaces.id", "in", [...ids])
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
      return ids.flatMap((id) => {
        const r = byId.get(id);
        if (!r) return [];
        const doc: SpaceDocument = {
          id: r.id,
          title: r.title,
          description: r.description,
          state: r.state as SpaceDocument["state"],
          host: { id: r.host_id, handle: r.handle, displayName: r.display_name },
          scheduledFor: iso(r.scheduled_for),
          startedAt: iso(r.started_at),
          endedAt: iso(r.ended_at),
          createdAt: new Date(r.created_at).toISOString(),
          recording: r.recording,
          speakerRequests: "everyone",
          requireLogin: false,
          stage: [],
          counts: { listeners: 0, onStage: 0, reactionsLastSecond: 0 },
          playlistUrl: null,
          audience: null,
          version: "v",
        };
        return [doc];
      });
    },
  };
}

function describeDiscovery(
  name: string,
  open: () => Promise<{ store: Store; dispose(): Promise<void> }>,
) {
  describe(name, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const now = Date.now();
    const listeners = new Map<string, number>();

    beforeAll(async () => {
      ({ store, dispose } = await open());
    }, 120_000);
    afterAll(async () => {
      await dispose?.();
    });

    function service(
      settings: Partial<DiscoverySettings> = {},
      reminders?: (ids: readonly string[]) => Promise<Map<string, number>>,
    ) {
      return new DiscoveryService(
        {
          queries: new DiscoveryQueries(store.db),
          search: new SearchQueries(store.db),
          accounts: repositories(store.db).accounts,
          documents: rowDocuments(store),
          listeners: (id) => listeners.get(id) ?? 0,
          ...(reminders ? { reminders } : {}),
        },
        { ...defaultDiscoverySettings, ...settings },
        () => now,
      );
    }

    async function accounts(n: number, prefix: string): Promise<string[]> {
      const ids = Array.from({ length: n }, () => randomUUID());
      for (let i = 0; i < n; i += 500) {
        await store.db
          .insertInto("accounts")
          .values(
            ids.slice(i, i + 500).map((id, j) => ({
              id,
              handle: `${prefix}${i + j}`.slice(0, 20),
              display_name: `${prefix} ${i + j}`,
              password_hash: "x",
            })),
          )
          .execute();
      }
      return ids;
    }

    interface SpaceRow {
      hostId: string;
      state: "live" | "scheduled" | "ended" | "cancelled";
      title?: string;
      description?: string;
      at?: number;
      recording?: boolean;
    }
    async function spaces(rows: SpaceRow[]): Promise<string[]> {
      const ids = rows.map(() => randomUUID());
      for (let i = 0; i < rows.length; i += 500) {
        await store.db
          .insertInto("spaces")
          .values(
            rows.slice(i, i + 500).map((r, j) => {
              const at = new Date(r.at ?? now);
              return {
                id: ids[i + j] as string,
                host_id: r.hostId,
                title: r.title ?? "A Space",
                description: r.description ?? "",
                state: r.state,
                scheduled_for: r.state === "scheduled" ? at : null,
                started_at: r.state === "live" || r.state === "ended" ? at : null,
                ended_at: r.state === "ended" ? at : null,
                recording: r.recording ?? true,
                speaker_policy: "everyone",
              };
            }),
          )
          .execute();
      }
      return ids;
    }

    async function follow(followerId: string, followeeIds: readonly string[]): Promise<void> {
      for (let i = 0; i < followeeIds.length; i += 1000) {
        await store.db
          .insertInto("follows")
          .values(
            followeeIds
              .slice(i, i + 1000)
              .map((id) => ({ follower_id: followerId, followee_id: id })),
          )
          .execute();
      }
    }

    describe("Live now for someone following 2,000 hosts, 200 of them live", () => {
      let fan: string;
      let liveFollowed: string[];
      let liveOthers: string[];

      beforeAll(async () => {
        const hosts = await accounts(2_000, `f${randomUUID().slice(0, 4)}_`);
        const strangers = await accounts(50, `s${randomUUID().slice(0, 4)}_`);
        [fan] = (await accounts(1, `fan${randomUUID().slice(0, 4)}_`)) as [string];
        await follow(fan, hosts);
        // Every followed host has a past Space; 200 are live now (newest first by index);
        // 300 have one scheduled; strangers are live too (popular, not followed).
        liveFollowed = await spaces(
          hosts.slice(0, 200).map((h, i) => ({ hostId: h, state: "live", at: now - i * 1000 })),
        );
        await spaces(hosts.map((h) => ({ hostId: h, state: "ended", at: now - 86_400_000 })));
        await spaces(
          hosts.slice(200, 500).map((h, i) => ({
            hostId: h,
            state: "scheduled",
            at: now + (i + 1) * minute,
          })),
        );
        liveOthers = await spaces(strangers.map((h) => ({ hostId: h, state: "live" })));
        await sql`ANALYZE`.execute(store.db);
      }, 120_000);

      test("answers exactly the followed hosts' live Spaces, newest first, then popular ones", async () => {
        const discovery = service({ followedLimit: 500 });
        const live = await discovery.liveNowFor(fan);
        expect(live.following.map((s) => s.id)).toEqual(liveFollowed);
        expect(live.following.every((s) => s.state === "live")).toBe(true);
        // Popular: nothing the person already sees under "following".
        const followedSet = new Set(liveFollowed);
        expect(live.popular.length).toBeGreaterThan(0);
        expect(live.popular.some((s) => followedSet.has(s.id))).toBe(false);
      });

      test("keeps the newest `followedLimit` when more are live", async () => {
        const live = await service().liveNowFor(fan);
        expect(live.following.map((s) => s.id)).toEqual(liveFollowed.slice(0, 30));
      });

      test("popular live ranks by listeners now; anonymous visitors get popular only", async () => {
        const [busiest, second] = liveOthers as [string, string];
        listeners.set(second, 500);
        listeners.set(busiest, 9_000);
        const live = await service().liveNowFor(null);
        expect(live.following).toEqual([]);
        expect(live.popular.slice(0, 2).map((s) => s.id)).toEqual([busiest, second]);
      });

      test("is one indexed read, well under 20 ms at p99", async () => {
        const queries = new DiscoveryQueries(store.db);
        const compiled = store.db
          .selectFrom("follows as f")
          .innerJoin("spaces as s", "s.host_id", "f.followee_id")
          .select("s.id")
          .where("f.follower_id", "=", fan)
          .where("s.state", "=", "live")
          .orderBy("s.started_at", "desc")
          .limit(30)
          .compile();
        // Here the follower owns most rows of `follows`, so the planner rightly prefers scans
        // and hash joins; on a table of millions it picks a nested loop, which must then run on
        // indexes alone, in either direction: from the person's follows (primary key) into
        // `spaces_live_by_host`, or from the live Spaces into the follows.
        const forceNestedLoop = ["enable_seqscan", "enable_hashjoin", "enable_mergejoin"];
        for (const knob of forceNestedLoop) await sql.raw(`SET ${knob} = off`).execute(store.db);
        let text: string;
        try {
          const plan = await sql
            .raw(
              `EXPLAIN ${compiled.sql.replace(/\$(\d+)/g, (_, n) => {
                const v = compiled.parameters[Number(n) - 1];
                return typeof v === "number" ? String(v) : `'${String(v)}'`;
              })}`,
            )
            .execute(store.db);
          text = (plan.rows as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"]).join("\n");
        } finally {
          for (const knob of forceNestedLoop) await sql.raw(`RESET ${knob}`).execute(store.db);
        }
        expect(text).toMatch(/Nested Loop/);
        expect(text).not.toMatch(/Seq Scan/);
        expect(text).toMatch(/follows_pk|follows_followee/);
        expect(text).toMatch(/spaces_live_by_host|spaces_state/);

        // The uncached read itself (the service caches it per person for a few seconds).
        const times: number[] = [];
        for (let i = 0; i < 100; i++) {
          const t = performance.now();
          await queries.liveFollowed(fan, 30);
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        const p99 = times[98] as number;
        // A shared, noisy 2-core machine: the target is 20 ms; fail only far past it.
        expect(p99).toBeLessThan(100);
        process.stderr.write(
          `discovery ${name}: uncached live-now query p50 ${times[49]?.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms\n`,
        );

        // Cached per person: a crowd of reads within the TTL costs one query.
        const counted = new DiscoveryQueries(store.db);
        let reads = 0;
        const original = counted.liveFollowed.bind(counted);
        counted.liveFollowed = (...args) => {
          reads++;
          return original(...args);
        };
        const cached = new DiscoveryService(
          {
            queries: counted,
            search: new SearchQueries(store.db),
            accounts: repositories(store.db).accounts,
            documents: rowDocuments(store),
            listeners: () => 0,
          },
          defaultDiscoverySettings,
          () => now,
        );
        await Promise.all(Array.from({ length: 50 }, () => cached.liveNowFor(fan)));
        await cached.liveNowFor(fan);
        expect(reads).toBe(1);
      });

      test("upcoming: followed hosts' scheduled Spaces soonest first", async () => {
        const upcoming = await service().upcomingFor(fan);
        expect(upcoming.following).toHaveLength(30);
        const starts = upcoming.following.map((s) => Date.parse(s.scheduledFor ?? ""));
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
      });
    });

    describe("popular upcoming", () => {
      test("ranks by the host's followers and the start time, with a hook for reminders", async () => {
        const [big, small, fans] = [
          await accounts(1, `big${randomUUID().slice(0, 4)}_`),
          await accounts(1, `sml${randomUUID().slice(0, 4)}_`),
          await accounts(300, `fa${randomUUID().slice(0, 4)}_`),
        ];
        const bigHost = big[0] as string;
        const smallHost = small[0] as string;
        for (const f of fans) await follow(f, [bigHost]);
        await follow(fans[0] as string, [smallHost]);
        // Later by an hour, but 300 followers against 1: the big host's Space ranks first.
        const [soonSmall, laterBig] = await spaces([
          { hostId: smallHost, state: "scheduled", at: now + 10 * minute, title: "Small" },
          { hostId: bigHost, state: "scheduled", at: now + 70 * minute, title: "Big" },
        ]);
        const ids = (await service().upcomingFor(null)).popular.map((s) => s.id);
        expect(ids.indexOf(laterBig as string)).toBeLessThan(ids.indexOf(soonSmall as string));

        // Reminders (migration 0006) count: 1,000 people asked for the small one.
        const withReminders = service(
          {},
          async (spaceIds) =>
            new Map(spaceIds.filter((id) => id === soonSmall).map((id) => [id, 1_000])),
        );
        const reranked = (await withReminders.upcomingFor(null)).popular.map((s) => s.id);
        expect(reranked.indexOf(soonSmall as string)).toBeLessThan(
          reranked.indexOf(laterBig as string),
        );
      });
    });

    describe("search", () => {
      let tag: string;
      let host: string;
      let ids: Record<string, string>;

      beforeAll(async () => {
        tag = `q${randomUUID().replace(/-/g, "").slice(0, 6)}`;
        [host] = (await accounts(1, `${tag}_host`)) as [string];
        const [live, scheduled, ended, cancelled, inDescription] = await spaces([
          { hostId: host, state: "live", title: `Amphi ${tag} launch night` },
          { hostId: host, state: "scheduled", title: `Amphitheatre ${tag} tour`, at: now + minute },
          { hostId: host, state: "ended", title: `Amphibians of ${tag}` },
          { hostId: host, state: "cancelled", title: `Amphi ${tag} cancelled` },
          {
            hostId: host,
            state: "ended",
            title: `Something else ${tag}`,
            description: "We talk about Amphi",
          },
        ]);
        ids = {
          live: live as string,
          scheduled: scheduled as string,
          ended: ended as string,
          cancelled: cancelled as string,
          inDescription: inDescription as string,
        };
        await store.db
          .insertInto("accounts")
          .values([
            {
              id: randomUUID(),
              handle: `${tag}_zoe`,
              display_name: "Zoë Amphora",
              password_hash: "x",
            },
            { id: randomUUID(), handle: `${tag}`, display_name: "Exactly", password_hash: "x" },
          ])
          .execute();
      });

      test("finds Spaces by a prefix of a title word, live first, never cancelled ones", async () => {
        const found = await service().search({ q: `amp ${tag}`, type: "spaces", limit: 20 });
        const got = found.spaces.map((s) => s.id);
        expect(got.slice(0, 2)).toEqual([ids.live, ids.scheduled]);
        expect(got).toContain(ids.ended);
        expect(got).toContain(ids.inDescription);
        expect(got).not.toContain(ids.cancelled);
        // Among ended Spaces, a title match outranks a description match.
        expect(got.indexOf(ids.ended as string)).toBeLessThan(
          got.indexOf(ids.inDescription as string),
        );
        expect(found.accounts).toEqual([]);
      });

      test("finds accounts by handle or display name, in any script, the exact handle first", async () => {
        const byName = await service().search({ q: `zoë ${tag}`, type: "accounts", limit: 20 });
        expect(byName.accounts.map((a) => a.handle)).toEqual([`${tag}_zoe`]);
        const byHandle = await service().search({ q: tag, type: "accounts", limit: 20 });
        expect(byHandle.accounts[0]?.handle).toBe(tag);
        expect(byHandle.accounts.map((a) => a.handle)).toContain(`${tag}_zoe`);
        expect(byHandle.accounts.every((a) => typeof a.followers === "number")).toBe(true);
      });

      test("pages with a cursor until the end", async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const r = await service().search({
            q: tag,
            type: "spaces",
            limit: 2,
            ...(cursor ? { cursor } : {}),
          });
          seen.push(...r.spaces.map((s) => s.id));
          if (!r.nextCursor) break;
          cursor = r.nextCursor;
        }
        expect(new Set(seen).size).toBe(4);
        expect(seen).not.toContain(ids.cancelled);
      });

      test("uses the GIN index for Spaces", async () => {
        await sql`ANALYZE`.execute(store.db);
        await sql`SET enable_seqscan = off`.execute(store.db);
        try {
          const plan = await sql<{ "QUERY PLAN": string }>`EXPLAIN SELECT id FROM spaces
            WHERE (setweight(to_tsvector('simple', title), 'A') ||
              setweight(to_tsvector('simple', description), 'B')) @@ to_tsquery('simple', 'amp:*')`.execute(
            store.db,
          );
          expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/spaces_search/);
        } finally {
          await sql`SET enable_seqscan = on`.execute(store.db);
        }
      });
    });

    describe("a host's Spaces and clips", () => {
      test("lists live, upcoming and past Spaces, replays only for kept recordings", async () => {
        const handle = `h${randomUUID().slice(0, 6)}`;
        const [host] = (await accounts(1, handle)) as [string];
        const hostHandle = `${handle}0`;
        const [live, upcoming, recent, unrecorded, expired] = await spaces([
          { hostId: host, state: "live" },
          { hostId: host, state: "scheduled", at: now + minute },
          { hostId: host, state: "ended", at: now - 86_400_000 },
          { hostId: host, state: "ended", at: now - 2 * 86_400_000, recording: false },
          { hostId: host, state: "ended", at: now - 40 * 86_400_000 },
        ]);
        const discovery = service();
        const page = await discovery.hostSpaces(hostHandle, 20);
        expect(page.live.map((s) => s.id)).toEqual([live]);
        expect(page.upcoming.map((s) => s.id)).toEqual([upcoming]);
        expect(page.past.map((p) => p.space.id)).toEqual([recent, unrecorded, expired]);
        expect(page.past.map((p) => p.replay?.pageUrl ?? null)).toEqual([
          `/spaces/${recent}`,
          null,
          null,
        ]);

        await store.db
          .insertInto("clips")
          .values([
            {
              id: randomUUID(),
              space_id: recent as string,
              created_by: host,
              start_seconds: 1,
              end_seconds: 11,
            },
            {
              id: randomUUID(),
              space_id: expired as string,
              created_by: host,
              start_seconds: 1,
              end_seconds: 11,
            },
          ])
          .execute();
        const { clips } = await discovery.hostClips(hostHandle, 20);
        expect(clips.map((c) => c.spaceId)).toEqual([recent]);
        expect(clips[0]?.pageUrl).toMatch(/^\/clips\//);
        await expect(discovery.hostSpaces("nobody_at_all", 20)).rejects.toMatchObject({
          code: "AMPHI_ACCOUNT_NOT_FOUND",
        });
      });
    });
  });
}

describeDiscovery("PGlite in memory", async () => {
  const store = await openStore({});
  return { store, dispose: () => store.close() };
});

describeDiscovery("PostgreSQL server", async () => {
  const database = await createTestDatabase();
  const store = await openStore({ databaseUrl: database.url });
  return {
    store,
    dispose: async () => {
      await store.close();
      await database.drop();
    },
  };
});
