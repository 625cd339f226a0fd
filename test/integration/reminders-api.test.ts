import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RemindersRepository } from "../../src/store/repositories/reminders-repository.ts";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";

let server: TestServer;
let base: string;
const changesPerMinute = 12;

beforeAll(async () => {
  // A small Space (2 listeners, 150 a second) so that three reminders do not fit.
  server = await startTestServer({
    admitRatePerSecond: 150,
    maxListenersPerSpace: 2,
    reminderChangesPerMinute: changesPerMinute,
  });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
});

async function scheduled(host: TestAccount): Promise<string> {
  const res = await api(base, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Tonight", scheduledFor: new Date(Date.now() + 86_400_000).toISOString() },
  });
  expect(res.status).toBe(201);
  return res.body.space.id as string;
}

const reminder = (id: string, token?: string, method = "GET", body?: unknown) =>
  api(base, method, `/api/spaces/${id}/reminder`, { token, body });

describe("reminders", () => {
  it("sets a reminder with every moment on, changes it, reads it back and removes it", async () => {
    const host = await signUp(base);
    const fan = await signUp(base);
    const id = await scheduled(host);

    expect((await reminder(id, fan.token)).body).toEqual({ reminder: null });

    const set = await reminder(id, fan.token, "PUT");
    expect(set.status).toBe(200);
    expect(set.headers.get("cache-control")).toBe("private, no-store");
    expect(set.body.reminder).toMatchObject({
      spaceId: id,
      at24h: true,
      at1h: true,
      atStart: true,
    });

    const changed = await reminder(id, fan.token, "PUT", { at24h: false, atStart: false });
    expect(changed.body.reminder).toMatchObject({ at24h: false, at1h: true, atStart: false });
    expect(changed.body.reminder.createdAt).toBe(set.body.reminder.createdAt);
    expect((await reminder(id, fan.token)).body.reminder).toMatchObject({
      at24h: false,
      at1h: true,
      atStart: false,
    });

    const removed = await reminder(id, fan.token, "DELETE");
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ reminder: null });
    expect((await reminder(id, fan.token)).body).toEqual({ reminder: null });
    // Removing what is not there is no error.
    expect((await reminder(id, fan.token, "DELETE")).status).toBe(200);
  });

  it("keeps each person's reminder their own", async () => {
    const host = await signUp(base);
    const [a, b] = await Promise.all([signUp(base), signUp(base)]);
    const id = await scheduled(host);
    await reminder(id, a.token, "PUT", { at1h: false });
    expect((await reminder(id, b.token)).body).toEqual({ reminder: null });
    expect((await reminder(id, a.token)).body.reminder.at1h).toBe(false);
  });

  it("asks anonymous people to log in", async () => {
    const host = await signUp(base);
    const id = await scheduled(host);
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await reminder(id, undefined, method);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("AMPHI_UNAUTHENTICATED");
    }
  });

  it("refuses reminders of a live or cancelled Space with 409, and of none with 404", async () => {
    const host = await signUp(base);
    const fan = await signUp(base);
    const live = await scheduled(host);
    await reminder(live, fan.token, "PUT");
    await api(base, "POST", `/api/spaces/${live}/start`, { token: host.token });
    const cancelled = await scheduled(host);
    await api(base, "POST", `/api/spaces/${cancelled}/cancel`, { token: host.token });
    for (const [id, state] of [
      [live, "live"],
      [cancelled, "cancelled"],
    ] as const) {
      for (const method of ["PUT", "DELETE"]) {
        const res = await reminder(id, fan.token, method);
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({
          code: "AMPHI_SPACE_NOT_SCHEDULED",
          details: { state },
        });
        expect(res.body.error.message).toContain(state);
      }
    }
    // What was set before it went live still reads.
    expect((await reminder(live, fan.token)).body.reminder).toMatchObject({ spaceId: live });
    const none = await reminder("nosuchspace", fan.token, "PUT");
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe("AMPHI_SPACE_NOT_FOUND");
  });

  it("rate-limits reminder changes per person", async () => {
    const host = await signUp(base);
    const [fan, other] = await Promise.all([signUp(base), signUp(base)]);
    const id = await scheduled(host);
    const statuses: number[] = [];
    for (let i = 0; i < changesPerMinute + 1; i++)
      statuses.push((await reminder(id, fan.token, "PUT")).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(changesPerMinute);
    expect(statuses.at(-1)).toBe(429);
    const refused = await reminder(id, fan.token, "DELETE");
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("AMPHI_RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Reading is not limited, and the limit is per person.
    expect((await reminder(id, fan.token)).status).toBe(200);
    expect((await reminder(id, other.token, "PUT")).status).toBe(200);
  });

  it("hands the notifier the accounts due each reminder, in keyset batches", async () => {
    const host = await signUp(base);
    const id = await scheduled(host);
    const fans = await Promise.all(Array.from({ length: 7 }, () => signUp(base)));
    for (const [i, fan] of fans.entries()) {
      await reminder(id, fan.token, "PUT", { at24h: i % 2 === 0 });
    }
    const repo = new RemindersRepository(server.store.db);
    const batches: string[][] = [];
    for await (const batch of repo.remindersDueBatches(id, "24h", 2)) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([2, 2]);
    const due24h = fans.filter((_, i) => i % 2 === 0).map((f) => f.id);
    expect(batches.flat()).toEqual([...due24h].sort());
    const first = await repo.remindersDue(id, "1h", { batchSize: 5 });
    expect(first.accountIds).toHaveLength(5);
    expect(first.next).toBe(first.accountIds[4]);
    const rest = await repo.remindersDue(id, "1h", { batchSize: 5, after: first.next });
    expect(rest).toEqual({ accountIds: expect.any(Array), next: null });
    expect([...first.accountIds, ...rest.accountIds].sort()).toEqual(fans.map((f) => f.id).sort());
  });
});

describe("audience forecast", () => {
  it("shows the host the reminders, followers and whether they fit", async () => {
    const host = await signUp(base);
    const id = await scheduled(host);
    const fan = await signUp(base);
    await reminder(id, fan.token, "PUT");
    await api(base, "PUT", `/api/accounts/${host.handle}/follow`, { token: fan.token });
    const res = await api(base, "GET", `/api/spaces/${id}/audience-forecast`, {
      token: host.token,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.body).toEqual({
      reminders: 1,
      followers: 1,
      expectedAudience: 1,
      admitRatePerSecond: 150,
      maxListeners: 2,
      fits: true,
      secondsToAdmit: 1,
      // One follower is told at once (the window is the audience over the admit rate).
      spreadSeconds: 0.01,
      expectedArrivalsPerSecond: 150,
      expectedPeakQueue: 0,
      expectedMaxWaitSeconds: 0,
    });
  });

  it("warns the host when the expected audience does not fit", async () => {
    const host = await signUp(base);
    const id = await scheduled(host);
    const fans = await Promise.all([signUp(base), signUp(base), signUp(base)]);
    for (const fan of fans) await reminder(id, fan.token, "PUT");
    const res = await api(base, "GET", `/api/spaces/${id}/audience-forecast`, {
      token: host.token,
    });
    expect(res.body).toMatchObject({ reminders: 3, expectedAudience: 3, fits: false });
    expect(res.body.warning).toBe(
      "Expected ~3 listeners, more than a Space holds (2): ~1 would wait for someone to leave. ~1 s to admit everyone who fits at 150/s.",
    );
  });

  it("is the host's alone", async () => {
    const host = await signUp(base);
    const other = await signUp(base);
    const id = await scheduled(host);
    const forbidden = await api(base, "GET", `/api/spaces/${id}/audience-forecast`, {
      token: other.token,
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("AMPHI_FORBIDDEN");
    const anonymous = await api(base, "GET", `/api/spaces/${id}/audience-forecast`);
    expect(anonymous.status).toBe(401);
  });
});
