import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/amphi-test-server.ts";

let server: TestServer;
let webDir: string;

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), "amphi-web-"));
  mkdirSync(join(webDir, "assets"));
  writeFileSync(
    join(webDir, "index.html"),
    "<!doctype html><title>Amphi</title><div id=root></div>",
  );
  writeFileSync(join(webDir, "assets", "app-abc123.js"), "console.log('app')");
  server = await startTestServer({ webDir });
});
afterAll(async () => {
  await server?.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe("serving the web app", () => {
  it("serves index.html at / and for client-side routes, never cached stale", async () => {
    // A shared page whose Space or person does not exist is the app too (it says so), as a 404.
    for (const [path, status] of [
      ["/", 200],
      ["/spaces/abc123", 404],
      ["/u/someone", 404],
      ["/new", 200],
    ] as const) {
      const res = await fetch(server.url + path, { headers: { accept: "text/html" } });
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain("<title>Amphi</title>");
    }
  });

  it("serves index.html to curl and link unfurlers, whatever they accept", async () => {
    const paths = ["/spaces/abc123", "/clips/clip42", "/@someone", "/u/someone"];
    for (const accept of ["*/*", "application/json", undefined]) {
      for (const path of paths) {
        const headers: Record<string, string> = accept ? { accept } : {};
        const res = await fetch(server.url + path, { headers });
        // Nothing has these ids: the app (with its generic head) says "not found", as a 404.
        expect(res.status, `${path} ${accept}`).toBe(404);
        expect(res.headers.get("content-type")).toMatch(/text\/html/);
        expect(await res.text()).toContain("<title>Amphi</title>");
      }
    }
  });

  it("serves hashed assets as immutable, including files built after start", async () => {
    const res = await fetch(`${server.url}/assets/app-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/immutable/);
    writeFileSync(join(webDir, "assets", "later-def456.js"), "1");
    expect((await fetch(`${server.url}/assets/later-def456.js`)).status).toBe(200);
  });

  it("answers unknown API paths and missing assets with the JSON error contract", async () => {
    const paths = [
      "/api/nothing",
      "/assets/missing.js",
      "/hls/x/y/z/w/playlist.m3u8",
      "/robots.txt",
    ];
    for (const [path, accept] of paths.flatMap((p) => [
      [p, "text/html"],
      [p, "*/*"],
    ])) {
      const res = await fetch(`${server.url}${path}`, { headers: { accept: accept ?? "" } });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({
        error: {
          code: expect.stringMatching(/^AMPHI_[A-Z_]*NOT_FOUND$/),
          message: expect.any(String),
        },
      });
    }
  });
});
