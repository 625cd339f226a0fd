/** The test harness's own PostgreSQL server: it starts clean, listens where told, stops fully. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  findPostgresBinaries,
  type PostgresServer,
  PostgresUnavailableError,
  startPostgres,
} from "../support/postgres-server.ts";
import { createTestDatabase, postgresServerUrl } from "../support/test-database.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startPostgres", () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  test("a fresh server on 127.0.0.1 at its own port, with its socket in its own folder", async () => {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    const client = new pg.Client(server.url);
    await client.connect();
    try {
      const { rows } = await client.query<Record<string, string>>(
        `select current_setting('listen_addresses') as listen,
                current_setting('unix_socket_directories') as socket,
                current_setting('fsync') as fsync,
                current_setting('server_version_num') as version,
                (select count(*) from pg_database where datname like 'amphi_test_%')::text as leftovers`,
      );
      expect(rows[0]).toEqual({
        listen: "127.0.0.1",
        socket: server.dir,
        fsync: "off",
        version: expect.stringMatching(new RegExp(`^${server.version}`)),
        leftovers: "0",
      });
    } finally {
      await client.end();
    }
    expect(existsSync(join(server.dir, `.s.PGSQL.${server.port}`))).toBe(true);
  });

  test("stop shuts the server down and removes its folder; stopping twice is fine", async () => {
    const other = await startPostgres();
    expect(other.port).not.toBe(server.port);
    expect(alive(other.pid)).toBe(true);
    await other.stop();
    expect(alive(other.pid)).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
    await expect(other.stop()).resolves.toBeUndefined();
    await expect(new pg.Client(other.url).connect()).rejects.toThrow();
  });
});

describe("without PostgreSQL installed", () => {
  test("the error says how to install it", async () => {
    const missing = findPostgresBinaries({ root: "/nonexistent/postgresql", path: "/nonexistent" });
    await expect(missing).rejects.toBeInstanceOf(PostgresUnavailableError);
    await expect(missing).rejects.toThrow("scripts/ensure-system-deps.sh");
  });
});

describe("the run's shared server", () => {
  test("is provided to the integration project", () => {
    expect(postgresServerUrl()).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  });

  test("test databases are created apart and dropped", async () => {
    const [a, b] = [await createTestDatabase(), await createTestDatabase()];
    expect(a.name).toMatch(/^amphi_test_[0-9a-f]{12}$/);
    expect(a.name).not.toBe(b.name);
    const client = new pg.Client(a.url);
    // The forced drop below ends this connection from the server side.
    client.on("error", () => {});
    await client.connect();
    const { rows } = await client.query("select current_database() as name");
    expect(rows[0].name).toBe(a.name);
    await b.drop();
    // Dropping closes connections still open on the database.
    await a.drop();
    await client.end().catch(() => {});
    const admin = new pg.Client(postgresServerUrl());
    await admin.connect();
    try {
      const left = await admin.query("select 1 from pg_database where datname = any($1)", [
        [a.name, b.name],
      ]);
      expect(left.rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
