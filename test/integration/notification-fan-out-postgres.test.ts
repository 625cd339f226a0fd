import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryBus } from "../../src/bus/memory-bus.ts";
import type { JobQueue } from "../../src/jobs/job-queue.ts";
import { openJobQueue } from "../../src/jobs/pg-boss-queue.ts";
import type { NotificationEvents } from "../../src/notifications/events.ts";
import { FanOutRepository } from "../../src/notifications/fan-out-repository.ts";
import { InboxRepository } from "../../src/notifications/inbox-repository.ts";
import { NotificationJobs } from "../../src/notifications/notification-jobs.ts";
import { PreferencesRepository } from "../../src/notifications/preferences-repository.ts";
import { PushSubscriptionsRepository } from "../../src/notifications/push-subscriptions-repository.ts";
import { seedSyntheticFollowers } from "../../src/notifications/synthetic-audience.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

/**
 * The go-live fan-out on PostgreSQL with 20,000 followers: one fan-out job, one INSERT ...
 * SELECT per batch of 5,000 through the real queue (pg-boss), every follower once, the muted
 * ones never, and a second run of everything writes nothing.
 */
const followers = 20_000;
let database: TestDatabase;
let store: Store;
let queue: JobQueue;
let jobs: NotificationJobs;
const log = pino({ level: "silent" });
const hostId = "host-fanout";

beforeAll(async () => {
  database = await createTestDatabase();
  store = await openStore({ databaseUrl: database.url });
  await store.db
    .insertInto("accounts")
    .values({ id: hostId, handle: "fanout_host", display_name: "Host", password_hash: "!" })
    .execute();
  await seedSyntheticFollowers(store.db, { hostId, count: followers, prefix: "pg" });
  // Two followers muted the host.
  const prefs = new PreferencesRepository(store.db);
  await prefs.setMuted("syn-pg-000000007", hostId, true);
  await prefs.setMuted("syn-pg-000012345", hostId, true);
  queue = await openJobQueue(store, { databaseUrl: database.url }, log);
  jobs = new NotificationJobs(
    queue,
    {
      fanOuts: new FanOutRepository(store.db),
      inbox: new InboxRepository(store.db),
      subscriptions: new PushSubscriptionsRepository(store.db),
      push: null,
      bus: new MemoryBus<NotificationEvents>(),
      spaces: { findById: async () => null },
      log,
    },
    { maxSpreadSeconds: 0, admitRatePerSecond: 2_000, batchSize: 5_000 },
  );
  await jobs.register();
}, 180_000);

afterAll(async () => {
  await queue?.stop();
  await store?.close();
  await database?.drop();
});

describe("go-live fan-out on PostgreSQL", () => {
  const job = {
    source: { kind: "followers" as const, hostId },
    template: {
      kind: "live",
      spaceId: null,
      actorId: hostId,
      payload: { title: "Scale" },
      dedupeKey: "live:scale",
    },
    delivery: { spread: false, ttlSeconds: 60, urgency: "high" as const },
  };
  const fanOuts = () => new FanOutRepository(store.db);

  it("writes every unmuted follower's entry once, in batches of 5,000", async () => {
    const started = performance.now();
    await jobs.enqueueFanOut(job);
    let progress = await fanOuts().progress("live:scale");
    while (!progress?.completedAt && performance.now() - started < 120_000) {
      await new Promise((r) => setTimeout(r, 200));
      progress = await fanOuts().progress("live:scale");
    }
    // Four full pages and the open-ended last one (empty here; it catches anyone who follows
    // while the fan-out runs).
    expect(progress).toMatchObject({ audience: followers, batches: 5, batchesWritten: 5 });
    expect(progress?.written).toBe(followers - 2);
    const { rows } = await store.db
      .selectFrom("notifications")
      .select((eb) => [
        eb.fn.countAll<string>().as("n"),
        eb.fn.count<string>("account_id").distinct().as("people"),
      ])
      .where("dedupe_key", "=", "live:scale")
      .execute()
      .then((r) => ({ rows: r }));
    expect(Number(rows[0]?.n)).toBe(followers - 2);
    expect(Number(rows[0]?.people)).toBe(followers - 2);
    const muted = await store.db
      .selectFrom("notifications")
      .select("id")
      .where("account_id", "in", ["syn-pg-000000007", "syn-pg-000012345"])
      .execute();
    expect(muted).toEqual([]);
  }, 150_000);

  it("run again, the fan-out and every batch write nothing", async () => {
    expect(await jobs.fanOut(job)).toEqual({ batches: 5, audience: followers });
    const batches = await store.db
      .selectFrom("notification_fanout_batches")
      .select("batch_no")
      .where("dedupe_key", "=", "live:scale")
      .execute();
    expect(batches).toHaveLength(5);
    // The retried batch jobs: recorded as written, they write nothing.
    for (let batchNo = 0; batchNo < 5; batchNo++) {
      expect(
        await fanOuts().writeBatch(job.source, job.template, { lo: "", hi: null }, batchNo),
      ).toBeNull();
    }
    // Even a batch nobody recorded, over everyone, adds no row.
    expect(await fanOuts().writeBatch(job.source, job.template, { lo: "", hi: null }, 100)).toBe(0);
    expect(await new InboxRepository(store.db).countByKey("live:scale")).toBe(followers - 2);
  });
});
