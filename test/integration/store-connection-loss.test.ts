/**
 * A PostgreSQL connection dying under the app (a restart, a failover, an admin's
 * pg_terminate_backend) fails what ran on it and nothing else: the process lives on, and the
 * next query gets a fresh connection. Before, a connection lost while kysely held it (inside
 * a transaction, or between its checkout and its query) emitted an 'error' event nobody
 * listened to, and node ended the process: a media node died with a PostgreSQL restart.
 */
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openStore, type Store } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let database: TestDatabase;
let store: Store;

beforeAll(async () => {
  database = await createTestDatabase();
  store = await openStore({ databaseUrl: database.url });
});

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: database.url });
  admin.on("error", () => {});
  await admin.connect();
  try {
    await admin.query("select pg_terminate_backend($1)", [pid]);
  } finally {
    await admin.end();
  }
}

describe("a database connection lost while the app holds it", () => {
  test("fails the transaction on it, keeps the process, and the next query works", async () => {
    let crashed: unknown = null;
    const onUncaught = (error: unknown) => {
      crashed = error;
    };
    process.on("uncaughtException", onUncaught);
    try {
      const outcome = await store.db
        .transaction()
        .execute(async (tx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
          // The connection is checked out and idle (the app is between two statements).
          await terminate((rows[0] as { pid: number }).pid);
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`select 1`.execute(tx);
          return "committed";
        })
        .catch((error: Error) => `failed: ${error.message}`);
      expect(outcome).toMatch(/^failed: /);
      expect(crashed).toBeNull();
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });
});
