import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";

let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startTestServer();
  base = server.url;
});
afterAll(async () => {
  await server?.close();
});

describe("Spaces", () => {
  it("schedules a Space, starts and ends it, and refuses transitions out of order", async () => {
    const host = await signUp(base);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const created = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: {
        title: "Tonight",
        description: "A talk",
        scheduledFor: at,
        recording: false,
        speakerRequests: "followed",
      },
    });
    expect(created.status).toBe(201);
    const space = created.body.space;
    expect(created.headers.get("location")).toBe(`/api/spaces/${space.id}`);
    expect(space).toMatchObject({
      title: "Tonight",
      description: "A talk",
      state: "scheduled",
      scheduledFor: at,
      recording: false,
      speakerRequests: "followed",
      host: { handle: host.handle },
      stage: [{ role: "host", account: { handle: host.handle } }],
    });
    expect(
      (await api(base, "POST", `/api/spaces/${space.id}/end`, { token: host.token })).status,
    ).toBe(409);
    const started = await api(base, "POST", `/api/spaces/${space.id}/start`, { token: host.token });
    expect(started.body.space.state).toBe("live");
    expect(started.body.space.startedAt).not.toBeNull();
    const again = await api(base, "POST", `/api/spaces/${space.id}/start`, { token: host.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("AMPHI_INVALID_TRANSITION");
    const ended = await api(base, "POST", `/api/spaces/${space.id}/end`, { token: host.token });
    expect(ended.body.space).toMatchObject({ state: "ended" });
    expect(ended.body.space.endedAt).not.toBeNull();
    expect(
      (await api(base, "POST", `/api/spaces/${space.id}/cancel`, { token: host.token })).status,
    ).toBe(409);
  });

  it("cancels a scheduled Space", async () => {
    const host = await signUp(base);
    const { body } = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Maybe" },
    });
    const cancelled = await api(base, "POST", `/api/spaces/${body.space.id}/cancel`, {
      token: host.token,
    });
    expect(cancelled.body.space.state).toBe("cancelled");
  });

  it("serves the Space document with edge-cacheable headers and an ETag", async () => {
    const host = await signUp(base);
    const { body } = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Cached", startNow: true },
    });
    const res = await api(base, "GET", `/api/spaces/${body.space.id}`);
    expect(res.status).toBe(200);
    const cc = res.headers.get("cache-control")!;
    expect(cc).toMatch(/public/);
    expect(cc).toMatch(/max-age=\d+/);
    expect(cc).toMatch(/stale-while-revalidate=\d+/);
    expect(cc).toMatch(/stale-if-error=\d+/);
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${base}/api/spaces/${body.space.id}`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
    await api(base, "POST", `/api/spaces/${body.space.id}/end`, { token: host.token });
    const changed = await fetch(`${base}/api/spaces/${body.space.id}`, {
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
  });

  it("lists live Spaces newest first and upcoming ones soonest first, by host too", async () => {
    const host = await signUp(base);
    const other = await signUp(base);
    const soon = new Date(Date.now() + 600_000).toISOString();
    const later = new Date(Date.now() + 7_200_000).toISOString();
    const mk = (token: string, body: object) => api(base, "POST", "/api/spaces", { token, body });
    const b = (await mk(host.token, { title: "Later", scheduledFor: later })).body.space.id;
    const a = (await mk(host.token, { title: "Soon", scheduledFor: soon })).body.space.id;
    const live1 = (await mk(host.token, { title: "Live 1", startNow: true })).body.space.id;
    const live2 = (await mk(other.token, { title: "Live 2", startNow: true })).body.space.id;

    const upcoming = await api(base, "GET", `/api/spaces?state=scheduled&host=${host.handle}`);
    expect(upcoming.body.spaces.map((s: { id: string }) => s.id)).toEqual([a, b]);
    const live = await api(base, "GET", "/api/spaces?state=live");
    const ids = live.body.spaces.map((s: { id: string }) => s.id);
    expect(ids.indexOf(live2)).toBeLessThan(ids.indexOf(live1));
    const mine = await api(base, "GET", `/api/spaces?state=live&host=${host.handle}`);
    expect(mine.body.spaces.map((s: { id: string }) => s.id)).toEqual([live1]);
    expect(
      (await api(base, "GET", "/api/spaces?state=live&host=nobody_at_all")).body.spaces,
    ).toEqual([]);
  });

  it("honours who may request to speak", async () => {
    const host = await signUp(base);
    const friend = await signUp(base);
    const stranger = await signUp(base);
    await api(base, "PUT", `/api/accounts/${friend.handle}/follow`, { token: host.token });
    const followed = (
      await api(base, "POST", "/api/spaces", {
        token: host.token,
        body: { title: "F", startNow: true, speakerRequests: "followed" },
      })
    ).body.space.id;
    expect(
      (await api(base, "GET", `/api/spaces/${followed}/me`, { token: friend.token })).body.me
        .canRequestToSpeak,
    ).toBe(true);
    expect(
      (await api(base, "GET", `/api/spaces/${followed}/me`, { token: stranger.token })).body.me
        .canRequestToSpeak,
    ).toBe(false);
    expect(
      (await api(base, "POST", `/api/spaces/${followed}/requests`, { token: friend.token })).status,
    ).toBe(200);
    const refused = await api(base, "POST", `/api/spaces/${followed}/requests`, {
      token: stranger.token,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("AMPHI_REQUESTS_CLOSED");
    const invited = (
      await api(base, "POST", "/api/spaces", {
        token: host.token,
        body: { title: "I", startNow: true, speakerRequests: "invited" },
      })
    ).body.space.id;
    expect(
      (await api(base, "POST", `/api/spaces/${invited}/requests`, { token: friend.token })).status,
    ).toBe(403);
  });
});
