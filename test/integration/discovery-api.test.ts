/**
 * Discovery over HTTP on a real server (PGlite): the home lists per viewer, search with its
 * validation, a host's Spaces, Explore, and how soon a go-live and an end show.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoveredSpacesSchema, homeFeedSchema } from "../../src/http/api-schemas.ts";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";

let server: TestServer;
let base: string;
let host: TestAccount;
let fan: TestAccount;
let stranger: TestAccount;
let otherHost: TestAccount;

const ids = (list: { id: string }[]) => list.map((s) => s.id);

beforeAll(async () => {
  server = await startTestServer();
  base = server.url;
  [host, fan, stranger, otherHost] = await Promise.all([
    signUp(base),
    signUp(base),
    signUp(base),
    signUp(base),
  ]);
  const followed = await api(base, "PUT", `/api/accounts/${host.handle}/follow`, {
    token: fan.token,
  });
  expect(followed.status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

async function createSpace(
  who: TestAccount,
  body: Record<string, unknown>,
): Promise<{ id: string; title: string }> {
  const res = await api(base, "POST", "/api/spaces", { token: who.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.space;
}

describe("home: live now and upcoming", () => {
  let hostLive: string;
  let otherLive: string;
  let hostUpcoming: string;

  beforeAll(async () => {
    hostLive = (await createSpace(host, { title: "Followed and live", startNow: true })).id;
    otherLive = (await createSpace(otherHost, { title: "Someone else live", startNow: true })).id;
    hostUpcoming = (
      await createSpace(host, {
        title: "Followed, tomorrow",
        scheduledFor: new Date(Date.now() + 86_400_000).toISOString(),
      })
    ).id;
  });

  it("puts the followed host's Spaces first, popular ones after, without repeats", async () => {
    const res = await api(base, "GET", "/api/discovery/home", { token: fan.token });
    expect(res.status).toBe(200);
    // These answers skip the zod serializer (discovery-routes.ts): they must still fit.
    expect(homeFeedSchema.safeParse(res.body).error).toBeUndefined();
    const live = await api(base, "GET", "/api/discovery/live", { token: fan.token });
    expect(discoveredSpacesSchema.safeParse(live.body).error).toBeUndefined();
    expect(live.body).toEqual(res.body.live);
    expect(res.headers.get("cache-control")).toMatch(/^private/);
    expect(ids(res.body.live.following)).toEqual([hostLive]);
    expect(ids(res.body.live.popular)).toContain(otherLive);
    expect(ids(res.body.live.popular)).not.toContain(hostLive);
    expect(ids(res.body.upcoming.following)).toEqual([hostUpcoming]);
    expect(res.body.live.following[0].host.handle).toBe(host.handle);
  });

  it("shows anonymous visitors and people who follow nobody the popular lists only", async () => {
    for (const token of [undefined, stranger.token]) {
      const res = await api(base, "GET", "/api/discovery/home", { token });
      expect(res.status).toBe(200);
      expect(res.body.live.following).toEqual([]);
      expect(ids(res.body.live.popular)).toEqual(expect.arrayContaining([hostLive, otherLive]));
      expect(ids(res.body.upcoming.popular)).toContain(hostUpcoming);
    }
    const anonymous = await api(base, "GET", "/api/discovery/home");
    expect(anonymous.headers.get("cache-control")).toMatch(/^public/);
    expect(anonymous.headers.get("vary")).toMatch(/Cookie/);
  });

  it("drops an ended Space at once and shows a new go-live within the cache's few seconds", async () => {
    const ended = await api(base, "POST", `/api/spaces/${hostLive}/end`, { token: host.token });
    expect(ended.status).toBe(200);
    const after = await api(base, "GET", "/api/discovery/live", { token: fan.token });
    expect(ids(after.body.following)).not.toContain(hostLive);

    const started = await api(base, "POST", `/api/spaces/${hostUpcoming}/start`, {
      token: host.token,
    });
    expect(started.status).toBe(200);
    const deadline = Date.now() + 6_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = ids(
        (await api(base, "GET", "/api/discovery/live", { token: fan.token })).body.following,
      );
      if (seen.includes(hostUpcoming)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen).toEqual([hostUpcoming]);
  });
});

describe("search", () => {
  it("finds Spaces by a prefix of a title word and accounts by handle or name", async () => {
    const space = await createSpace(otherHost, { title: "Amphitheatre acoustics", startNow: true });
    const spaces = await api(base, "GET", "/api/search?q=amphith&type=spaces");
    expect(spaces.status).toBe(200);
    expect(ids(spaces.body.spaces)).toContain(space.id);
    expect(spaces.body.accounts).toEqual([]);

    const people = await api(base, "GET", `/api/search?q=${host.handle}&type=accounts`);
    expect(people.body.accounts[0]).toMatchObject({ handle: host.handle, followers: 1 });
    const byName = await api(base, "GET", `/api/search?q=${encodeURIComponent("person")}&limit=50`);
    expect(byName.body.accounts.map((a: { handle: string }) => a.handle)).toContain(host.handle);
  });

  it.each([
    ["an empty query", "?q="],
    ["no query", ""],
    ["only punctuation", "?q=%21%3F"],
    ["an overlong query", `?q=${"a".repeat(101)}`],
    ["a bad type", "?q=amp&type=everything"],
    ["a limit past 50", "?q=amp&limit=51"],
  ])("answers %s with 400 naming the field", async (_name, query) => {
    const res = await api(base, "GET", `/api/search${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("AMPHI_VALIDATION_FAILED");
  });
});

describe("a host's page", () => {
  it("lists live, upcoming and past Spaces; a recorded past Space links its replay", async () => {
    const page = await api(base, "GET", `/api/accounts/${host.handle}/spaces`);
    expect(page.status).toBe(200);
    expect(page.body.live.map((s: { title: string }) => s.title)).toEqual(["Followed, tomorrow"]);
    expect(page.body.past).toHaveLength(1);
    expect(page.body.past[0].space.title).toBe("Followed and live");
    expect(page.body.past[0].replay.pageUrl).toBe(`/spaces/${page.body.past[0].space.id}`);
    const clips = await api(base, "GET", `/api/accounts/${host.handle}/clips`);
    expect(clips.body).toEqual({ clips: [] });
  });

  it("answers 404 for a handle nobody has", async () => {
    const res = await api(base, "GET", "/api/accounts/nobody_here_x/spaces");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("AMPHI_ACCOUNT_NOT_FOUND");
  });
});

describe("explore", () => {
  it("has live, upcoming, recent replays and popular hosts", async () => {
    const res = await api(base, "GET", "/api/discovery/explore");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/^public/);
    expect(res.body.live.length).toBeGreaterThan(0);
    expect(res.body.replays.map((r: { space: { title: string } }) => r.space.title)).toContain(
      "Followed and live",
    );
    expect(res.body.accounts[0]).toMatchObject({ handle: host.handle, followers: 1 });
  });
});
