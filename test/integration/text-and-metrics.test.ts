import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
  uniqueHandle,
} from "../support/amphi-test-server.ts";

/**
 * Text people read (titles, descriptions, names, bios) refuses direction controls and
 * invisible-only values with codes of their own and is stored in NFC; /metrics answers only
 * whoever holds METRICS_TOKEN, or without one, only this machine.
 */
let server: TestServer;
let guarded: TestServer;
let host: TestAccount;
const token = "metrics-token-0123456789abcdef";

beforeAll(async () => {
  server = await startTestServer();
  guarded = await startTestServer({ metricsToken: token });
  host = await signUp(server.url);
}, 180_000);
afterAll(async () => {
  await server?.close();
  await guarded?.close();
});

const rlo = "\u202E";

describe("text people read", () => {
  it.each([
    ["a Space title", "POST", "/api/spaces", { title: `invoice${rlo}fdp.exe` }, "title"],
    [
      "a Space description",
      "POST",
      "/api/spaces",
      { title: "Fine", description: "see \u2067this\u2069" },
      "description",
    ],
    ["a display name", "PATCH", "/api/accounts/me", { displayName: `Ada${rlo}` }, "displayName"],
    ["a bio", "PATCH", "/api/accounts/me", { bio: "left\u200Fright" }, "bio"],
  ])(
    "refuses direction controls in %s with AMPHI_TEXT_DIRECTION_CONTROLS",
    async (_n, method, path, body, field) => {
      const res = await api(server.url, method, path, { token: host.token, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("AMPHI_TEXT_DIRECTION_CONTROLS");
      expect(res.body.error.details[0].path).toEqual(["body", field]);
    },
  );

  it.each([
    [
      "a Space title of zero-width spaces",
      "POST",
      "/api/spaces",
      { title: "\u200B\u200B" },
      "title",
    ],
    ["a Space title of combining marks", "POST", "/api/spaces", { title: "\u0301\u0302" }, "title"],
    [
      "a display name of a Hangul filler",
      "PATCH",
      "/api/accounts/me",
      { displayName: "\u3164" },
      "displayName",
    ],
    [
      "a bio of a word joiner and a BOM",
      "PATCH",
      "/api/accounts/me",
      { bio: "\u2060\uFEFF\u200D" },
      "bio",
    ],
  ])("refuses %s with AMPHI_TEXT_INVISIBLE", async (_n, method, path, body, field) => {
    const res = await api(server.url, method, path, { token: host.token, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("AMPHI_TEXT_INVISIBLE");
    expect(res.body.error.details[0].path).toEqual(["body", field]);
  });

  it("refuses an invisible display name at sign-up too", async () => {
    const res = await api(server.url, "POST", "/api/accounts", {
      body: {
        handle: uniqueHandle("inv"),
        displayName: "\u200B",
        password: "correct horse battery",
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("AMPHI_TEXT_INVISIBLE");
  });

  it("stores titles and names in NFC, and keeps right-to-left scripts and emoji", async () => {
    const space = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Cafe\u0301 مرحبا 👩\u200D💻" },
    });
    expect(space.status).toBe(201);
    expect(space.body.space.title).toBe("Caf\u00E9 مرحبا 👩\u200D💻");
    const me = await api(server.url, "PATCH", "/api/accounts/me", {
      token: host.token,
      body: { displayName: "Zoe\u0308", bio: "" },
    });
    expect(me.status).toBe(200);
    expect(me.body.account.displayName).toBe("Zo\u00EB");
    expect(me.body.account.bio).toBe("");
  });
});

describe("/metrics", () => {
  it("without METRICS_TOKEN answers this machine, and 404 to a client a proxy relays", async () => {
    const local = await fetch(`${server.url}/metrics`);
    expect(local.status).toBe(200);
    expect(await local.text()).toMatch(/amphi_http_request_duration_seconds/);
    // A request the (trusted, loopback) proxy relays for someone elsewhere.
    const relayed = await api(server.url, "GET", "/metrics", {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(relayed.status).toBe(404);
    expect(relayed.body.error.code).toBe("AMPHI_NOT_FOUND");
  });

  it("with METRICS_TOKEN answers the Bearer token only, 401 to anyone else", async () => {
    {
      const none = await api(guarded.url, "GET", "/metrics");
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe("AMPHI_UNAUTHENTICATED");
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const wrong = await api(guarded.url, "GET", "/metrics", {
        headers: { authorization: "Bearer metrics-token-0123456789abcdeX" },
      });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.url}/metrics`, {
        headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "203.0.113.9" },
      });
      expect(right.status).toBe(200);
      expect(await right.text()).toMatch(/amphi_process_cpu_seconds_total/);
    }
  });
});
