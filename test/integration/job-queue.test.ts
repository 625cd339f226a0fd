/**
 * The durable job queue, on every database Amphi runs on: embedded PGlite (in memory and on
 * disk, closed and reopened) and a real PostgreSQL server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pino from "pino";
import { afterAll, describe, expect, test } from "vitest";
import type { JobQueue, QueuedJob } from "../../src/jobs/job-queue.ts";
import { openJobQueue } from "../../src/jobs/pg-boss-queue.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { seedEmbeddedDatabase } from "../support/embedded-template.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const log = pino({ level: "silent" });

interface Opened {
  store: Store;
  queue: JobQueue;
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The tests of one database share one opened queue (opening one costs a new database, its
 * migrations and pg-boss's schema: seconds on PGlite); each test works jobs of its own name,
 * which pg-boss keeps apart (its own queue, counts and workers), and its own table.
 */
function describeQueue(name: string, open: () => Promise<Opened & { databaseUrl?: string }>) {
  describe(name, () => {
    let opened: Promise<Opened> | undefined;
    const use = () => {
      opened ??= open();
      return opened;
    };
    afterAll(async () => {
      const o = await opened;
      await o?.queue.stop();
      await o?.store.close();
    });

    test("a job is worked once, with its data", async () => {
      const { queue } = await use();
      const seen: QueuedJob<{ n: number }>[] = [];
      await queue.work<{ n: number }>("once", { pollingIntervalSeconds: 0.5 }, async (jobs) => {
        seen.push(...jobs);
      });
      const id = await queue.send("once", { n: 7 });
      await waitFor("the job", () => (seen.length > 0 ? seen : undefined));
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(seen).toEqual([{ id, data: { n: 7 } }]);
      expect((await queue.counts("once")).completed).toBe(1);
    });

    test("a failing handler is retried until it succeeds", async () => {
      const { queue } = await use();
      let attempts = 0;
      await queue.work("flaky", { pollingIntervalSeconds: 0.5 }, async () => {
        attempts++;
        if (attempts < 3) throw new Error(`attempt ${attempts} fails`);
      });
      await queue.send("flaky", { x: 1 }, { retryLimit: 3, retryDelaySeconds: 0 });
      await waitFor("a completed job", () => (attempts >= 3 ? true : undefined));
      expect(attempts).toBe(3);
    });

    test("a job with the singleton key of one already enqueued is not enqueued again", async () => {
      const { queue } = await use();
      const later = new Date(Date.now() + 60_000);
      const first = await queue.send("single", { a: 1 }, { singletonKey: "k", startAfter: later });
      const second = await queue.send("single", { a: 2 }, { singletonKey: "k", startAfter: later });
      expect(first).not.toBeNull();
      expect(second).toBeNull();
      expect((await queue.counts("single")).waiting).toBe(1);
      await queue.sendMany("single", [
        { data: { a: 3 }, singletonKey: "k" },
        { data: { a: 4 }, singletonKey: "other" },
      ]);
      expect((await queue.counts("single")).waiting).toBe(2);
    });

    test("a job waits for its start time", async () => {
      const { queue } = await use();
      const workedAt: number[] = [];
      await queue.work("later", { pollingIntervalSeconds: 0.5 }, async () => {
        workedAt.push(Date.now());
      });
      const sentAt = Date.now();
      await queue.send("later", {}, { startAfter: new Date(sentAt + 2_000) });
      await waitFor("the job", () => workedAt[0]);
      expect(workedAt[0]! - sentAt).toBeGreaterThanOrEqual(1_900);
    });

    test("a batch of a thousand jobs enqueued in one call is worked in batches, each job once", async () => {
      const { queue } = await use();
      const seen = new Map<number, number>();
      const batchSizes: number[] = [];
      await queue.work<{ i: number }>(
        "many",
        { batchSize: 200, pollingIntervalSeconds: 0.5 },
        async (jobs) => {
          batchSizes.push(jobs.length);
          for (const job of jobs) seen.set(job.data.i, (seen.get(job.data.i) ?? 0) + 1);
        },
      );
      await queue.sendMany(
        "many",
        Array.from({ length: 1_000 }, (_, i) => ({ data: { i } })),
      );
      await waitFor("every job", () => (seen.size === 1_000 ? true : undefined), 30_000);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    });

    test("the queue's statements never land inside the app's open transaction", async () => {
      const { store, queue } = await use();
      await sql`create table if not exists t_probe (n int)`.execute(store.db);
      const transaction = store.db
        .transaction()
        .execute(async (trx) => {
          await sql`insert into t_probe values (1)`.execute(trx);
          await new Promise((resolve) => setTimeout(resolve, 300));
          throw new Error("roll back");
        })
        .catch(() => "rolled back");
      await new Promise((resolve) => setTimeout(resolve, 50));
      const id = await queue.send("beside", { ok: true });
      expect(await transaction).toBe("rolled back");
      expect(id).not.toBeNull();
      // The job was not rolled back with the app's transaction.
      expect((await queue.counts("beside")).waiting).toBe(1);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from t_probe`.execute(
        store.db,
      );
      expect(rows[0]?.n).toBe(0);
    });
  });
}

describeQueue("job queue on embedded PGlite", async () => {
  const store = await openStore({});
  return { store, queue: await openJobQueue(store, {}, log) };
});

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

describeQueue("job queue on PostgreSQL", async () => {
  const database = await createTestDatabase();
  databases.push(database);
  const store = await openStore({ databaseUrl: database.url, poolSize: 2 });
  return { store, queue: await openJobQueue(store, { databaseUrl: database.url }, log) };
});

describe("job queue on PGlite on disk", () => {
  test("a job enqueued before a restart is worked after it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "amphi-jobs-"));
    seedEmbeddedDatabase(dir);
    try {
      let store = await openStore({ dataDir: dir });
      let queue = await openJobQueue(store, {}, log);
      await queue.send("durable", { kept: "yes" }, { startAfter: new Date(Date.now() + 1_000) });
      await queue.stop();
      await store.close();

      store = await openStore({ dataDir: dir });
      queue = await openJobQueue(store, {}, log);
      const seen: unknown[] = [];
      await queue.work("durable", { pollingIntervalSeconds: 0.5 }, async (jobs) => {
        seen.push(...jobs.map((j) => j.data));
      });
      await waitFor("the job", () => (seen.length ? true : undefined));
      expect(seen).toEqual([{ kept: "yes" }]);
      await queue.stop();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("job queue stopping on PGlite", () => {
  test("a handler that ends as the queue stops and the store closes leaves no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const dir = mkdtempSync(join(tmpdir(), "amphi-jobs-"));
    seedEmbeddedDatabase(dir);
    try {
      const store = await openStore({ dataDir: dir });
      const queue = await openJobQueue(store, {}, log);
      let started = false;
      let busy: Promise<unknown> | undefined;
      await queue.work("ending", { pollingIntervalSeconds: 0.5 }, async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        // The app holds the one embedded connection as the handler ends: pg-boss's complete()
        // waits for it, past the queue's stop.
        busy = sql`select count(*) from generate_series(1, 3000000)`.execute(store.db);
      });
      await queue.send("ending", {});
      await waitFor("the handler", () => (started ? true : undefined));
      // pg-boss records the handler's end with complete(), which it does not await: the
      // statement reaches the store as it closes.
      await queue.stop();
      await store.close();
      await busy;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
