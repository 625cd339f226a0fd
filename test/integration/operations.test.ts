import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type AmphiProcess, startAmphiProcess } from "../support/amphi-process.ts";
import { api, signUp } from "../support/amphi-test-server.ts";
import { seedEmbeddedDatabase } from "../support/embedded-template.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** A temp data folder; with `embedded`, holding a copy of the run's migrated database. */
function tempDir(embedded = true): string {
  const dir = mkdtempSync(join(tmpdir(), "amphi-ops-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  if (embedded) seedEmbeddedDatabase(dir);
  return dir;
}

async function started(options: Parameters<typeof startAmphiProcess>[0]): Promise<AmphiProcess> {
  const p = await startAmphiProcess(options);
  cleanup.push(() => p.stop(2000));
  return p;
}

// Each test starts real processes (on a copy of the run's migrated embedded database: a new
// one takes seconds on a busy machine; data-permissions.test.ts starts on an empty folder).
describe("operating Amphi as a process", { timeout: 120_000 }, () => {
  it("reports health, readiness and Prometheus metrics", async () => {
    const amphi = await started({ dataDir: tempDir() });
    expect((await api(amphi.url, "GET", "/healthz")).body).toEqual({ status: "ok" });
    expect((await api(amphi.url, "GET", "/readyz")).body).toMatchObject({
      status: "ready",
      database: "ok",
    });
    await api(amphi.url, "GET", "/api/spaces");
    const metrics = await fetch(`${amphi.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/amphi_http_request_duration_seconds_bucket\{.*route="\/api\/spaces"/);
    expect(metrics).toMatch(/amphi_process_cpu_seconds_total/);
    const docs = await fetch(`${amphi.url}/api/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });

  it("drains on SIGTERM, exits 0, and keeps its data across a restart (embedded PGlite)", async () => {
    const dataDir = tempDir();
    const first = await started({ dataDir });
    const ada = await signUp(first.url);
    const space = await api(first.url, "POST", "/api/spaces", {
      token: ada.token,
      body: { title: "Survives" },
    });
    expect(await first.stop()).toBe(0);
    expect(first.logs.some((l) => l.includes('"amphi stopped"'))).toBe(true);

    const second = await started({ dataDir });
    const me = await api(second.url, "GET", "/api/accounts/me", { token: ada.token });
    expect(me.body.account.handle).toBe(ada.handle);
    const again = await api(second.url, "GET", `/api/spaces/${space.body.space.id}`);
    expect(again.body.space.title).toBe("Survives");
  });

  it("shuts down within the grace period even with a live client that never answers", async () => {
    const amphi = await started({ dataDir: tempDir(), env: { SHUTDOWN_GRACE_SECONDS: "2" } });
    const host = await signUp(amphi.url);
    const space = await api(amphi.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Silent client", startNow: true },
    });
    const { port } = new URL(amphi.url);
    const socket = connect(Number(port), "127.0.0.1");
    socket.write(
      [
        `GET /api/spaces/${space.body.space.id}/live HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        `Authorization: Bearer ${host.token}`,
        "",
        "",
      ].join("\r\n"),
    );
    const head = await new Promise<string>((resolve) =>
      socket.once("data", (d) => resolve(d.toString())),
    );
    expect(head).toMatch(/^HTTP\/1.1 101/);
    socket.pause(); // from here on the client reads nothing and answers nothing
    const t0 = performance.now();
    expect(await amphi.stop(20_000)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(8_000);
    socket.destroy();
  });

  it("runs on a real PostgreSQL server with DATABASE_URL", async () => {
    const db: TestDatabase = await createTestDatabase();
    cleanup.push(() => db.drop());
    const amphi = await started({ dataDir: tempDir(false), env: { DATABASE_URL: db.url } });
    expect(amphi.logs.some((l) => l.includes('"database":"postgres"'))).toBe(true);
    const host = await signUp(amphi.url);
    const created = await api(amphi.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "On PG", startNow: true },
    });
    expect(created.status).toBe(201);
    const listed = await api(amphi.url, "GET", "/api/spaces?state=live");
    expect(listed.body.spaces.map((s: { id: string }) => s.id)).toContain(created.body.space.id);
    expect(await amphi.stop()).toBe(0);
  });

  it("refuses to start on invalid configuration, naming the variable", async () => {
    await expect(
      startAmphiProcess({
        dataDir: tempDir(false),
        env: { BODY_LIMIT_BYTES: "lots" },
        timeoutMs: 20_000,
      }),
    ).rejects.toThrow(/BODY_LIMIT_BYTES/);
  });
});
