import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import { type PostgresServer, startPostgres } from "../support/postgres-server.ts";

/**
 * The join path runs from memory: with the database gone, listeners still get tickets and
 * heartbeats still count them. A PostgreSQL server of its own, stopped mid-test, proves it.
 */
describe("joining while the database is down", () => {
  let postgres: PostgresServer;
  let server: TestServer;
  beforeAll(async () => {
    postgres = await startPostgres();
    server = await startTestServer({ databaseUrl: postgres.url });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await postgres?.stop();
  });

  test("tickets and heartbeats keep working after PostgreSQL stops", async () => {
    const host = await signUp(server.url);
    const listener = await signUp(server.url);
    const created = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Still on air", startNow: true },
    });
    const id = created.body.space.id as string;
    // The listener was seen recently (its session is remembered for a few seconds).
    expect(
      (await api(server.url, "GET", "/api/accounts/me", { token: listener.token })).status,
    ).toBe(200);
    const late = await signUp(server.url);

    await postgres.stop();
    // The database really is gone: anything that needs it fails.
    const create = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Another" },
    });
    expect(create.status).toBe(503);
    expect(create.body.error.code).toBe("AMPHI_DATABASE_UNAVAILABLE");
    expect(create.headers.get("retry-after")).toBe("5");

    const anonymous = await api(server.url, "POST", `/api/spaces/${id}/tickets`, { body: {} });
    expect(anonymous.status).toBe(200);
    const known = await api(server.url, "POST", `/api/spaces/${id}/tickets`, {
      body: {},
      token: listener.token,
    });
    expect(known.status).toBe(200);
    // A session that cannot be checked now joins as anonymous instead of failing.
    const unknown = await api(server.url, "POST", `/api/spaces/${id}/tickets`, {
      body: {},
      token: late.token,
    });
    expect(unknown.status).toBe(200);

    const beat = await api(server.url, "POST", `/api/spaces/${id}/heartbeat`, {
      body: { ticket: anonymous.body.ticket },
    });
    expect(beat.status).toBe(200);
    expect(beat.body.listeners).toBeGreaterThanOrEqual(3);
  });
});
