/**
 * golive: a host with a million followers goes live (issue 11). The audience is seeded
 * set-based: GOLIVE_FOLLOWERS followers (default 1,000,000), one in GOLIVE_PUSH_EVERY (50:
 * 2%) with a Web Push subscription on a push service of our own on loopback, one in
 * GOLIVE_REMINDER_EVERY (20: 5%) with a reminder; and a reader who follows 2,000 hosts, 200
 * of them live. The host starts the Space; we time until every batch job is enqueued, until
 * every follower has the inbox entry, and until every push has reached the push service
 * (spread over NOTIFY_SPREAD_SECONDS on purpose), count the rows and duplicates, and time
 * the reader's "Live now" all along. Baseline in the same run: the reader's "Live now" for
 * 5 s before the go-live. Run on embedded PGlite and on PostgreSQL (GOLIVE_DATABASES).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sql } from "kysely";
import { seedSyntheticFollowers } from "../src/notifications/synthetic-audience.ts";
import { api, signUp, startTestServer } from "../test/support/amphi-test-server.ts";
import { startPostgres } from "../test/support/postgres-server.ts";
import { startPushService } from "./golive/push-service.ts";
import { type ReaderSample, startReader } from "./golive/reader.ts";
import type { BenchResult } from "./run.ts";
import { percentile, round } from "./support.ts";

const followers = Number(process.env.GOLIVE_FOLLOWERS ?? 1_000_000);
const pushEvery = Number(process.env.GOLIVE_PUSH_EVERY ?? 50);
const reminderEvery = Number(process.env.GOLIVE_REMINDER_EVERY ?? 20);
const spreadSeconds = Number(process.env.NOTIFY_SPREAD_SECONDS ?? 30);
const databases = (process.env.GOLIVE_DATABASES ?? "pglite,postgres").split(",");
const readerFollows = 2_000;
const readerLive = 200;
const deadlineMs = 300_000;

interface Run {
  database: string;
  followers: number;
  seedSeconds: number;
  enqueuedSeconds: number | null;
  inboxesSeconds: number | null;
  pushesSeconds: number | null;
  pushesExpected: number;
  pushesReceived: number;
  pushRepeats: number;
  pushMalformed: number;
  batches: number | null;
  rowsWritten: number;
  duplicates: number;
  baseline: { requests: number; p50Ms: number; p99Ms: number; failed: number };
  duringFanOut: { requests: number; p50Ms: number; p99Ms: number; maxMs: number; failed: number };
  liveNowFollowing: number;
  /** The server's event loop during the fan-out (its delay, as perf_hooks measures it). */
  eventLoopDelay: { p99Ms: number; maxMs: number };
}

function stats(samples: ReaderSample[]) {
  const ms = samples.map((s) => s.ms);
  return {
    requests: samples.length,
    p50Ms: round(percentile(ms, 50), 2),
    p99Ms: round(percentile(ms, 99), 2),
    maxMs: round(Math.max(...ms), 2),
    failed: samples.filter((s) => !s.ok).length,
  };
}

async function once(database: string): Promise<Run> {
  const postgres = database === "postgres" ? await startPostgres() : null;
  const push = await startPushService();
  try {
    const server = await startTestServer({
      ...(postgres ? { databaseUrl: postgres.url } : {}),
      pushAllowLoopbackHttp: true,
      notifySpreadSeconds: spreadSeconds,
      ...(process.env.GOLIVE_LOG_LEVEL ? { logLevel: process.env.GOLIVE_LOG_LEVEL as "warn" } : {}),
    });
    try {
      const { db } = server.store;
      const notifications = server.notifications;
      if (!notifications) throw new Error("no notifications on this server");
      const host = await signUp(server.url, "golivehost");
      const reader = await signUp(server.url, "golivereader");
      const created = await api(server.url, "POST", "/api/spaces", {
        token: host.token,
        body: {
          title: "The big conversation",
          scheduledFor: new Date(Date.now() + 20 * 60_000).toISOString(),
        },
      });
      if (created.status !== 201) throw new Error(`create: ${created.status}`);
      const spaceId: string = created.body.space.id;

      const seedStart = performance.now();
      await seedSyntheticFollowers(db, {
        hostId: host.id,
        count: followers,
        prefix: "gl",
        pushEvery,
        push: { endpointBase: push.base, ...push.keys },
        reminders: { spaceId, every: reminderEvery },
      });
      await seedReader(db, reader.id);
      const seedSeconds = (performance.now() - seedStart) / 1000;
      const pushesExpected = Math.floor(followers / pushEvery);
      console.log(`[golive] ${database}: seeded ${followers} followers in ${round(seedSeconds)} s`);

      const readerLoop = startReader(server.url, reader.token);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const t0 = Date.now();
      const started = await api(server.url, "POST", `/api/spaces/${spaceId}/start`, {
        token: host.token,
      });
      if (started.status !== 200) throw new Error(`start: ${started.status}`);
      const key = `live:${spaceId}`;
      let enqueuedAt: number | null = null;
      const progress = await notifications.fanOuts.waitFor(key, {
        timeoutMs: deadlineMs,
        pollMs: 100,
        onProgress: (p) => {
          if (p?.plannedAt && enqueuedAt === null) enqueuedAt = Date.now();
        },
      });
      const inboxesAt = progress?.completedAt ? Date.now() : null;
      console.log(
        `[golive] ${database}: enqueued ${enqueuedAt ? (enqueuedAt - t0) / 1000 : "-"} s, inboxes ${inboxesAt ? (inboxesAt - t0) / 1000 : "-"} s`,
      );
      const samples = await readerLoop.stop();
      loopDelay.disable();
      const pushDeadline = Date.now() + deadlineMs;
      let pushes = await push.stats();
      while (pushes.received < pushesExpected && Date.now() < pushDeadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        pushes = await push.stats();
      }
      const pushesSeconds =
        pushes.received >= pushesExpected && pushes.lastAt !== null
          ? (pushes.lastAt - t0) / 1000
          : null;
      const { rows, duplicates } = await notifications.fanOuts.rows(key);
      const before = samples.filter((s) => s.at < t0);
      const during = samples.filter((s) => s.at >= t0);
      const liveNow = await api(server.url, "GET", "/api/discovery/live", {
        token: reader.token,
      });
      return {
        database,
        followers,
        seedSeconds: round(seedSeconds),
        enqueuedSeconds: enqueuedAt === null ? null : round((enqueuedAt - t0) / 1000, 2),
        inboxesSeconds: inboxesAt === null ? null : round((inboxesAt - t0) / 1000, 2),
        pushesSeconds: pushesSeconds === null ? null : round(pushesSeconds, 2),
        pushesExpected,
        pushesReceived: pushes.received,
        pushRepeats: pushes.repeats,
        pushMalformed: pushes.malformed,
        batches: progress?.batches ?? null,
        rowsWritten: rows,
        duplicates,
        baseline: (({ maxMs: _, ...rest }) => rest)(stats(before)),
        duringFanOut: stats(during),
        eventLoopDelay: {
          p99Ms: round(loopDelay.percentile(99) / 1e6, 1),
          maxMs: round(loopDelay.max / 1e6, 1),
        },
        liveNowFollowing: Array.isArray(liveNow.body?.following)
          ? liveNow.body.following.length
          : -1,
      };
    } finally {
      await server.close();
    }
  } finally {
    await push.close();
    await postgres?.stop();
  }
}

/** The reader follows 2,000 hosts, each with a Space; the first 200 are live. */
async function seedReader(db: Parameters<typeof seedSyntheticFollowers>[0], readerId: string) {
  await sql`INSERT INTO accounts (id, handle, display_name, password_hash)
    SELECT 'rh-' || g, 'rh' || g, 'Host ' || g, '!' FROM generate_series(1, ${readerFollows}::int) g`.execute(
    db,
  );
  await sql`INSERT INTO follows (follower_id, followee_id)
    SELECT ${readerId}, 'rh-' || g FROM generate_series(1, ${readerFollows}::int) g`.execute(db);
  await sql`INSERT INTO spaces (id, host_id, title, description, state, started_at, scheduled_for, recording, speaker_policy)
    SELECT 'rs-' || g, 'rh-' || g, 'Space of host ' || g, '',
      CASE WHEN g <= ${readerLive}::int THEN 'live' ELSE 'scheduled' END,
      CASE WHEN g <= ${readerLive}::int THEN now() ELSE NULL END,
      CASE WHEN g <= ${readerLive}::int THEN NULL ELSE now() + (g || ' hours')::interval END,
      false, 'invited'
    FROM generate_series(1, ${readerFollows}::int) g`.execute(db);
  await sql`ANALYZE`.execute(db);
}

export async function run(): Promise<BenchResult> {
  const runs: Run[] = [];
  for (const database of databases) runs.push(await once(database));
  const line = runs
    .map(
      (r) =>
        `${r.database}: ${r.followers.toLocaleString("en")} followers, enqueued ${r.enqueuedSeconds ?? "-"} s, ` +
        `inboxes ${r.inboxesSeconds ?? "-"} s, pushes ${r.pushesReceived}/${r.pushesExpected} by ${r.pushesSeconds ?? "-"} s ` +
        `(spread ${spreadSeconds} s), rows ${r.rowsWritten.toLocaleString("en")}, duplicates ${r.duplicates}, ` +
        `live-now p99 ${r.duringFanOut.p99Ms} ms (baseline ${r.baseline.p99Ms} ms), ` +
        `event loop delay p99 ${r.eventLoopDelay.p99Ms} ms (max ${r.eventLoopDelay.maxMs} ms)`,
    )
    .join("; ");
  return {
    summary: line,
    figures: {
      followers,
      pushShare: 1 / pushEvery,
      reminderShare: 1 / reminderEvery,
      spreadSeconds,
      targets: { deliveredWithinSeconds: 60, liveNowP99Ms: 20, duplicates: 0 },
      runs,
    },
  };
}
