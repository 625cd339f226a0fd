import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";
import { fillPath, routeCatalog, routeKey } from "../support/route-catalog.ts";

let server: TestServer;
let base: string;
let host: TestAccount;
let spaceId: string;

beforeAll(async () => {
  server = await startTestServer({
    loginAttemptsPerIp: 100_000,
    reactionsPerSecond: 100,
    bodyLimitBytes: 4096,
  });
  base = server.url;
  host = await signUp(base);
  const res = await api(base, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Fuzz", startNow: true },
  });
  spaceId = res.body.space.id;
});
afterAll(async () => {
  await server?.close();
});

function expectErrorBody(res: { status: number; body: any }, code?: string): void {
  expect(res.body, JSON.stringify(res.body)).toMatchObject({
    error: { code: expect.stringMatching(/^AMPHI_/), message: expect.any(String) },
  });
  if (code) expect(res.body.error.code).toBe(code);
}

/** For every route that takes input: one bad value per input, and the field it must name. */
const badInputs: {
  route: string;
  body?: unknown;
  id?: string;
  handle?: string;
  query?: string;
  field: string;
}[] = [
  {
    route: "POST /api/accounts",
    body: { handle: "ab", displayName: "A", password: "long enough" },
    field: "handle",
  },
  {
    route: "POST /api/accounts",
    body: { handle: "abc", displayName: " ", password: "long enough" },
    field: "displayName",
  },
  {
    route: "POST /api/accounts",
    body: { handle: "abc", displayName: "A", password: "short" },
    field: "password",
  },
  { route: "POST /api/sessions", body: { handle: "abc" }, field: "password" },
  { route: "PATCH /api/accounts/me", body: { bio: "x".repeat(161) }, field: "bio" },
  { route: "GET /api/accounts/{handle}", handle: "NOT VALID!", field: "handle" },
  { route: "PUT /api/accounts/{handle}/follow", handle: "a", field: "handle" },
  { route: "DELETE /api/accounts/{handle}/follow", handle: "a", field: "handle" },
  { route: "POST /api/spaces", body: { title: "" }, field: "title" },
  {
    route: "POST /api/spaces",
    body: { title: "ok", scheduledFor: "tomorrow" },
    field: "scheduledFor",
  },
  {
    route: "POST /api/spaces",
    body: { title: "ok", speakerRequests: "nobody" },
    field: "speakerRequests",
  },
  {
    route: "POST /api/spaces",
    body: { title: "ok", scheduledFor: "2001-01-01T00:00:00Z" },
    field: "scheduledFor",
  },
  { route: "GET /api/spaces", query: "?state=gone", field: "state" },
  { route: "GET /api/spaces", query: "?limit=100000", field: "limit" },
  { route: "POST /api/spaces/{id}/invitations", body: { handle: "x" }, field: "handle" },
  {
    route: "POST /api/spaces/{id}/invitations",
    body: { handle: "abc", role: "host" },
    field: "role",
  },
  { route: "POST /api/spaces/{id}/reactions", body: { emoji: "💩" }, field: "emoji" },
  {
    route: "POST /api/spaces/{id}/clips",
    body: { startSeconds: -1, endSeconds: 3 },
    field: "startSeconds",
  },
  { route: "POST /api/spaces/{id}/clips", body: { startSeconds: 1 }, field: "endSeconds" },
  { route: "GET /api/clips/{clipId}", id: "bad clip id!", field: "clipId" },
  { route: "PUT /api/spaces/{id}/reminder", body: { at24h: "yes" }, field: "at24h" },
  { route: "GET /api/search", query: "", field: "q" },
  { route: "GET /api/search", query: "?q=", field: "q" },
  { route: "GET /api/search", query: "?q=%20%21%3F", field: "q" },
  { route: "GET /api/search", query: `?q=${"a".repeat(101)}`, field: "q" },
  { route: "GET /api/search", query: "?q=a+b+c+d+e+f+g+h+i", field: "q" },
  { route: "GET /api/search", query: "?q=amp&type=bogus", field: "type" },
  { route: "GET /api/search", query: "?q=amp&limit=1000", field: "limit" },
  { route: "GET /api/search", query: "?q=amp&cursor=abc", field: "cursor" },
  { route: "GET /api/accounts/{handle}/spaces", handle: "NOT VALID!", field: "handle" },
  { route: "GET /api/accounts/{handle}/clips", handle: "NOT VALID!", field: "handle" },
  { route: "POST /api/spaces", body: { title: "a\u0000b" }, field: "title" },
  {
    route: "POST /api/spaces",
    body: { title: "ok", description: "x\u0000" },
    field: "description",
  },
  {
    route: "POST /api/spaces",
    body: { title: "ok", startNow: true, scheduledFor: "0001-01-01T00:00:00+14:00" },
    field: "scheduledFor",
  },
  {
    route: "POST /api/spaces",
    body: { title: "ok", scheduledFor: "9999-12-31T23:59:59-14:00" },
    field: "scheduledFor",
  },
  { route: "PATCH /api/accounts/me", body: { bio: "a\u0000b" }, field: "bio" },
  {
    route: "POST /api/webhooks",
    body: { url: "ftp://203.0.114.1/", events: ["space.live"] },
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    body: { url: "https://203.0.114.1/", events: ["space.exploded"] },
    field: "events.0",
  },
  {
    route: "GET /api/webhooks/{id}/deliveries",
    id: "abc",
    query: "?limit=0",
    field: "limit",
  },
  {
    route: "POST /api/sessions",
    body: { handle: "a\u0000b", password: "whatever1" },
    field: "handle",
  },
];
for (const r of routeCatalog) {
  if (r.params.includes("id"))
    badInputs.push({ route: routeKey(r), id: "not a space id!", field: "id" });
  if (r.params.includes("handle") && r.path.startsWith("/api/spaces")) {
    badInputs.push({
      route: routeKey(r),
      id: "whatever",
      handle: "NO SUCH HANDLE",
      field: "handle",
    });
  }
}

describe("input validation", () => {
  it.each(badInputs.map((b) => [`${b.route} ${b.field}`, b] as const))(
    "%s: a bad value gets 400 naming the field",
    async (_name, bad) => {
      const [method, path] = bad.route.split(" ") as [string, string];
      const url =
        fillPath(path, { id: bad.id ?? spaceId, handle: bad.handle ?? host.handle }) +
        (bad.query ?? "");
      const res = await api(base, method, url, { token: host.token, body: bad.body });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expectErrorBody(res, "AMPHI_VALIDATION_FAILED");
      const paths = (res.body.error.details as { path: string[] }[]).map((d) => d.path.join("."));
      expect(
        paths.some((p) => p.endsWith(bad.field)),
        paths.join(", "),
      ).toBe(true);
    },
  );

  it("answers malformed JSON with 400 AMPHI_MALFORMED_JSON", async () => {
    const res = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: '{"title": "x",',
    });
    expect(res.status).toBe(400);
    expectErrorBody(res, "AMPHI_MALFORMED_JSON");
  });

  it("answers a body over the limit with 413", async () => {
    const res = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "x", description: "y".repeat(10_000) },
    });
    expect(res.status).toBe(413);
    expectErrorBody(res, "AMPHI_PAYLOAD_TOO_LARGE");
  });

  it("answers a body that is not JSON with 415", async () => {
    const res = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: "title=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expectErrorBody(res, "AMPHI_UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers headers over Node's 16 KB limit with 431 in the error contract (found by the fuzz)", async () => {
    const res = await api(base, "GET", `/api/spaces?limit=${"1".repeat(20_000)}`);
    expect(res.status).toBe(431);
    expectErrorBody(res, "AMPHI_HEADERS_TOO_LARGE");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    // The server goes on answering.
    expect((await api(base, "GET", "/healthz")).status).toBe(200);
  });

  it("answers unknown ids with 404", async () => {
    const space = await api(base, "GET", "/api/spaces/doesnotexist");
    expect(space.status).toBe(404);
    expectErrorBody(space, "AMPHI_SPACE_NOT_FOUND");
    const account = await api(base, "GET", "/api/accounts/nobody_here");
    expect(account.status).toBe(404);
    expectErrorBody(account, "AMPHI_ACCOUNT_NOT_FOUND");
    const route = await api(base, "GET", "/api/no/such/route");
    expect(route.status).toBe(404);
    expectErrorBody(route, "AMPHI_NOT_FOUND");
  });
});

/** Random input of every kind, sent to every route, logged in or not. */
const anyBody = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom(
        "title",
        "handle",
        "password",
        "displayName",
        "emoji",
        "role",
        "bio",
        "scheduledFor",
        "startNow",
        "__proto__",
        "constructor",
      ),
      fc.oneof(
        fc.jsonValue(),
        // Values a database cannot hold, which validation must stop first.
        fc.constantFrom(
          "a\u0000b",
          "0001-01-01T00:00:00+14:00",
          "9999-12-31T23:59:59-14:00",
          "\ud800",
        ),
      ),
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
);
const anySegment = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.constantFrom("..", "%00", "%", "me", "a".repeat(500), "__proto__"),
);

describe("random input never gets a 5xx", () => {
  it("fast-check: any body, params, query and content type on every route answer < 500 with an error body", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routeCatalog),
        anyBody,
        anySegment,
        anySegment,
        fc.oneof(
          fc.constant(""),
          fc.string({ maxLength: 40 }).map((q) => `?${q}`),
        ),
        fc.constantFrom(
          "application/json",
          "text/plain",
          "application/json; charset=latin1",
          "multipart/form-data",
          "",
        ),
        fc.boolean(),
        async (route, body, id, handle, query, contentType, loggedIn) => {
          const useRealId = id.length % 3 === 0;
          const path = fillPath(route.path, { id: useRealId ? spaceId : id, handle }) + query;
          const headers: Record<string, string> = {};
          if (body !== undefined && contentType) headers["content-type"] = contentType;
          let res: { status: number; body: any };
          try {
            res = await api(base, route.method, path, {
              token: loggedIn ? host.token : undefined,
              body,
              headers,
            });
          } catch (error) {
            // fetch itself refuses some URLs (e.g. invalid characters): nothing reached the server.
            if (error instanceof TypeError) return;
            throw error;
          }
          expect(res.status, `${route.method} ${path} -> ${JSON.stringify(res.body)}`).toBeLessThan(
            500,
          );
          if (res.status >= 400) expectErrorBody(res);
        },
      ),
      { numRuns: 600 },
    );
  });
});
