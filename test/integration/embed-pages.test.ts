import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";

/**
 * The embed pages (`/embed/:spaceId`, `/embed/clips/:clipId`) may be framed by any site and
 * need no cookie; every other page may be framed by none. Both keep the strict CSP.
 */
let server: TestServer;
let webDir: string;
let spaceId: string;

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), "amphi-web-"));
  mkdirSync(join(webDir, "assets"));
  writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Amphi</title><div id=root>");
  writeFileSync(
    join(webDir, "embed.html"),
    "<!doctype html><title>Amphi embed</title><div id=root>",
  );
  writeFileSync(join(webDir, "assets", "embed-abc123.js"), "1");
  server = await startTestServer({ webDir });
  const host = await signUp(server.url);
  const created = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Framed", startNow: true },
  });
  spaceId = created.body.space.id;
});

afterAll(async () => {
  await server?.close();
  rmSync(webDir, { recursive: true, force: true });
});

const get = (path: string, init: RequestInit = {}) => fetch(server.url + path, init);

function expectFramableByAnyone(res: Response, path: string): void {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, path).toContain("frame-ancestors *");
  expect(csp, path).toContain("script-src 'self';");
  expect(res.headers.get("x-frame-options"), path).toBeNull();
  expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
  expect(res.headers.get("set-cookie"), path).toBeNull();
  expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
}

describe("the embed pages", () => {
  it("serve the embed page for a Space, framable by any site, with no cookie", async () => {
    const res = await get(`/embed/${spaceId}`, { headers: { accept: "*/*" } });
    expect(res.status).toBe(200);
    expectFramableByAnyone(res, `/embed/${spaceId}`);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toContain("<title>Amphi embed</title>");
  });

  it("answer 404 with the page (which says so) for what does not exist", async () => {
    for (const path of [
      "/embed/nosuchspace",
      "/embed/not%20an%20id",
      "/embed/clips/nosuchclip",
      "/embed/a/b/c",
      "/embed/",
      "/embed",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expectFramableByAnyone(res, path);
      expect(await res.text(), path).toContain("<title>Amphi embed</title>");
    }
  });

  it("answer HEAD, and a visitor's stale session cookie changes nothing", async () => {
    const head = await get(`/embed/${spaceId}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expectFramableByAnyone(head, "HEAD");
    const withCookie = await get(`/embed/${spaceId}`, {
      headers: { cookie: "amphi_session=not-a-session" },
    });
    expect(withCookie.status).toBe(200);
    expectFramableByAnyone(withCookie, "cookie");
  });

  it("are not in the API document", async () => {
    const doc = (await api(server.url, "GET", "/api/openapi.json")).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/embed"))).toEqual([]);
  });
});

describe("every other page", () => {
  it("may be framed by no site, with the strict CSP, nosniff and a Referrer-Policy", async () => {
    for (const path of [
      "/",
      `/spaces/${spaceId}`,
      "/clips/abc",
      `/api/spaces/${spaceId}`,
      "/assets/embed-abc123.js",
      "/embed.html",
    ]) {
      // (Found or not: an unknown clip's page is a 404 of its own.)
      const res = await get(path);
      expect(res.status, path).toBeLessThan(500);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
      expect(csp, path).not.toContain("upgrade-insecure-requests");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      // Plain http: no HSTS unless configured.
      expect(res.headers.get("strict-transport-security"), path).toBeNull();
    }
  });
});

describe("HSTS", () => {
  it("is sent over https (PUBLIC_URL) or when configured, never otherwise", {
    timeout: 120_000,
  }, async () => {
    const https = await startTestServer({ webDir, publicUrl: "https://amphi.example" });
    const configured = await startTestServer({ webDir, hstsMaxAgeSeconds: 600 });
    try {
      const a = await fetch(`${https.url}/`);
      expect(a.headers.get("strict-transport-security")).toBe("max-age=15552000");
      expect(a.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
      const b = await fetch(`${configured.url}/api/spaces?state=live`);
      expect(b.headers.get("strict-transport-security")).toBe("max-age=600");
    } finally {
      await https.close();
      await configured.close();
    }
  });
});
