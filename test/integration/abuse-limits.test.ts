import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiAnswer,
  api,
  signUp,
  startTestServer,
  type TestServer,
} from "../support/amphi-test-server.ts";

/**
 * The per-account limits on what costs the server (live Spaces, creations) or spams others
 * (clips, follows, profile edits): each refused with a clear code, a 429 with Retry-After.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    maxLiveSpacesPerAccount: 2,
    spaceCreationsPerHour: 5,
    clipsPerHour: 2,
    followChangesPerMinute: 3,
    profileEditsPerHour: 2,
  });
});

afterAll(async () => {
  await server?.close();
});

function expectRateLimited(res: ApiAnswer, what: string): void {
  expect(res.status, what).toBe(429);
  expect(res.body.error.code, what).toBe("AMPHI_RATE_LIMITED");
  expect(res.body.error.message, what).toMatch(/\w/);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter, what).toBeGreaterThanOrEqual(1);
}

describe("live Spaces per account", () => {
  it("refuses a third live Space at once with 409 AMPHI_LIVE_SPACE_LIMIT, started or created live", async () => {
    const host = await signUp(server.url);
    const create = (body: object) =>
      api(server.url, "POST", "/api/spaces", { token: host.token, body });
    const first = await create({ title: "One", startNow: true });
    const second = await create({ title: "Two", startNow: true });
    expect([first.status, second.status]).toEqual([201, 201]);

    const third = await create({ title: "Three", startNow: true });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe("AMPHI_LIVE_SPACE_LIMIT");
    expect(third.body.error.details).toEqual({ limit: 2 });

    // Scheduling one is fine; starting it is the go-live that is refused.
    const scheduled = await create({ title: "Later" });
    expect(scheduled.status).toBe(201);
    const path = `/api/spaces/${scheduled.body.space.id}/start`;
    const start = await api(server.url, "POST", path, { token: host.token });
    expect(start.status).toBe(409);
    expect(start.body.error.code).toBe("AMPHI_LIVE_SPACE_LIMIT");

    // Ending one makes room.
    const end = await api(server.url, "POST", `/api/spaces/${first.body.space.id}/end`, {
      token: host.token,
    });
    expect(end.status).toBe(200);
    expect((await api(server.url, "POST", path, { token: host.token })).status).toBe(200);

    // Another host has room of their own.
    const other = await signUp(server.url);
    const theirs = await api(server.url, "POST", "/api/spaces", {
      token: other.token,
      body: { title: "Mine", startNow: true },
    });
    expect(theirs.status).toBe(201);
  });

  it("counts two go-lives sent at once one after the other", async () => {
    const host = await signUp(server.url);
    const answers = await Promise.all(
      [1, 2, 3].map((n) =>
        api(server.url, "POST", "/api/spaces", {
          token: host.token,
          body: { title: `At once ${n}`, startNow: true },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 409]);
  });
});

describe("rate limits", () => {
  it("limits Space creations per account per hour", async () => {
    const host = await signUp(server.url);
    for (let i = 0; i < 5; i++) {
      const res = await api(server.url, "POST", "/api/spaces", {
        token: host.token,
        body: { title: `Scheduled ${i}` },
      });
      expect(res.status).toBe(201);
    }
    const refused = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "One too many" },
    });
    expectRateLimited(refused, "creation");
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
  });

  it("limits clips per account", async () => {
    const person = await signUp(server.url);
    const host = await signUp(server.url);
    const space = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Clipped", startNow: true },
    });
    const path = `/api/spaces/${space.body.space.id}/clips`;
    const clip = () =>
      api(server.url, "POST", path, {
        token: person.token,
        body: { startSeconds: 0, endSeconds: 10 },
      });
    // Attempts count (this Space has no recording yet: 404), not only clips made.
    expect((await clip()).status).toBe(404);
    expect((await clip()).status).toBe(404);
    expectRateLimited(await clip(), "clip");
  });

  it("limits follows and unfollows per account", async () => {
    const person = await signUp(server.url);
    const host = await signUp(server.url);
    const path = `/api/accounts/${host.handle}/follow`;
    expect((await api(server.url, "PUT", path, { token: person.token })).status).toBe(200);
    expect((await api(server.url, "DELETE", path, { token: person.token })).status).toBe(200);
    expect((await api(server.url, "PUT", path, { token: person.token })).status).toBe(200);
    expectRateLimited(await api(server.url, "DELETE", path, { token: person.token }), "follow");
    // Someone else is not held back by it.
    const other = await signUp(server.url);
    expect((await api(server.url, "PUT", path, { token: other.token })).status).toBe(200);
  });

  it("limits profile edits per account", async () => {
    const person = await signUp(server.url);
    const edit = (bio: string) =>
      api(server.url, "PATCH", "/api/accounts/me", { token: person.token, body: { bio } });
    expect((await edit("one")).status).toBe(200);
    expect((await edit("two")).status).toBe(200);
    expectRateLimited(await edit("three"), "profile");
    const me = await api(server.url, "GET", "/api/accounts/me", { token: person.token });
    expect(me.body.account.bio).toBe("two");
  });
});
