/** A database of a test file's own on the run's PostgreSQL server, so files never collide. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export interface TestDatabase {
  name: string;
  /** postgres://... of the new database, for openStore({ databaseUrl }). */
  url: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

/** The run's PostgreSQL server (see global-setup.ts), or a clear error where there is none. */
export function postgresServerUrl(): string {
  const url = inject("postgresUrl");
  if (!url) {
    throw new Error(
      "No PostgreSQL server in this test project: test/support/global-setup.ts starts one " +
        "for every project but 'unit'.",
    );
  }
  return url;
}

async function withClient<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on("error", () => {}); // a server going away fails the query instead
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE amphi_test_<random> on the server. */
export async function createTestDatabase(serverUrl = postgresServerUrl()): Promise<TestDatabase> {
  const name = `amphi_test_${randomBytes(6).toString("hex")}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
