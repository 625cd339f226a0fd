import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { summaryLine } from "../../src/loadtest/report/build-report.ts";
import type { LoadtestReport } from "../../src/loadtest/report/report-types.ts";
import { runLoadtest } from "../../src/loadtest/runner/run-loadtest.ts";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";

/**
 * `amphi loadtest` against a real Amphi (media plane on, a live Space producing LL-HLS parts):
 * small runs of the join-storm and attack scenarios, checked through the report they write.
 */
const opsToken = "loadtest-ops-token-0123456789";
let server: TestServer;
let spaceId: string;
const outDirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer({
    mediaPlane: "on",
    opsToken,
    // Queue part of the storm (200 arrivals in ~2 s at the peak).
    admitRatePerSecond: 40,
    // This shared 2-core machine lags on its own; shedding has its own tests, these check
    // what the load test reports.
    loadShedLagMs: 1_000,
    loadShedCriticalLagMs: 5_000,
  });
  const host = await signUp(server.url);
  const created = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Load test", startNow: true },
  });
  expect(created.status).toBe(201);
  spaceId = created.body.space.id;
});

afterAll(async () => {
  await server?.close();
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

async function setAttackMode(mode: "on" | "off" | "auto") {
  // A busy server may shed the request (503 + Retry-After): ask again, a few times.
  for (let attempt = 0; ; attempt++) {
    const res = await api(server.url, "PUT", "/api/admin/attack-mode", {
      token: opsToken,
      body: { mode },
    });
    if (res.status !== 503 || attempt === 5) {
      expect(res.status).toBe(200);
      return;
    }
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? 1)));
  }
}

function outDir() {
  const dir = mkdtempSync(join(tmpdir(), "amphi-loadtest-"));
  outDirs.push(dir);
  return dir;
}

/** The report as written on disk (not the object in memory), and the page next to it. */
function readReport(dir: string): { report: LoadtestReport; html: string } {
  expect(existsSync(join(dir, "report.json"))).toBe(true);
  expect(existsSync(join(dir, "report.html"))).toBe(true);
  return {
    report: JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as LoadtestReport,
    html: readFileSync(join(dir, "report.html"), "utf8"),
  };
}

describe("amphi loadtest against a live Space", () => {
  test("join-storm: 200 listeners over 5 s in two worker processes are all admitted or queued, hear the audio and heartbeat, without errors", async () => {
    await setAttackMode("off");
    const dir = outDir();
    const result = await runLoadtest({
      scenario: "join-storm",
      url: server.url,
      spaceId,
      clients: 200,
      durationSeconds: 14,
      rampSeconds: 5,
      hostileRatio: 0,
      hostileRequestsPerSecond: 2,
      workers: 2,
      heartbeatSeconds: 2,
      outDir: dir,
    });
    console.log(summaryLine(result.report, dir));
    expect(result.lostWorkers).toEqual([]);
    const { report, html } = readReport(dir);
    expect(report).toEqual(JSON.parse(JSON.stringify(result.report)));

    const o = report.outcomes;
    expect(report.clients).toEqual({
      plannedListeners: 200,
      plannedHostile: 0,
      arrivedListeners: 200,
    });
    expect(o.error).toBe(0);
    expect(o.admitted + o["queued-then-admitted"] + o["still-queued"]).toBe(200);
    expect(report.errors).toEqual({ total: 0, breakdown: [] });
    // Admitted listeners got a ticket, played parts and heartbeated with their renewed tickets.
    const admitted = o.admitted + o["queued-then-admitted"];
    expect(admitted).toBeGreaterThan(100);
    expect(report.counts.admitted).toBe(admitted);
    expect(report.latencyMs.ticket.count).toBe(admitted);
    expect(report.latencyMs.firstPart.count).toBeGreaterThan(0);
    expect(report.latencyMs.firstPart.count).toBeLessThanOrEqual(admitted);
    expect(report.counts.parts).toBeGreaterThan(admitted);
    expect(report.counts.heartbeats).toBeGreaterThan(0);
    expect(report.latencyMs.playlist.count).toBeGreaterThan(0);
    expect(report.latencyMs.document.count).toBe(200);
    // Everyone who queued left the queue by admission or by the end of the run.
    expect(report.counts.queueEntered).toBe(report.counts.queueLeft);
    expect(o["queued-then-admitted"]).toBeLessThanOrEqual(report.queue.entered);
    // The timeline covers the run and adds up to the totals.
    expect(report.timeline.length).toBeGreaterThanOrEqual(14);
    const sum = (k: "arrivals" | "admitted" | "errors") =>
      report.timeline.reduce((n, row) => n + row[k], 0);
    expect(sum("arrivals")).toBe(200);
    expect(sum("admitted")).toBe(admitted);
    expect(report.settings).toMatchObject({
      scenario: "join-storm",
      clients: 200,
      workers: 2,
      spreadSourceAddresses: true,
    });
    expect(html).toContain("<svg");
    expect(html).not.toContain("<script");
  }, 120_000);

  test("attack: hostile clients are challenged and never get a ticket; listeners solve the challenge and get in, without errors", async () => {
    await setAttackMode("on");
    try {
      const dir = outDir();
      const result = await runLoadtest({
        scenario: "attack",
        url: server.url,
        spaceId,
        clients: 6,
        durationSeconds: 20,
        rampSeconds: 3,
        hostileRatio: 10,
        hostileRequestsPerSecond: 2,
        // Solving proofs of work is CPU work: keep it out of the server's process.
        workers: 2,
        heartbeatSeconds: 2,
        outDir: dir,
      });
      console.log(summaryLine(result.report, dir));
      const { report } = readReport(dir);
      const o = report.outcomes;
      expect(report.clients).toEqual({
        plannedListeners: 6,
        plannedHostile: 60,
        arrivedListeners: 6,
      });
      expect(o.error).toBe(0);
      expect(o.admitted + o["queued-then-admitted"] + o["still-queued"]).toBe(6);
      expect(report.errors.total).toBe(0);
      // Every listener was asked for a proof of work; the ones admitted solved one.
      expect(report.counts.challengeAnswers).toBeGreaterThanOrEqual(6);
      expect(report.counts.challengesSolved).toBeGreaterThanOrEqual(
        o.admitted + o["queued-then-admitted"],
      );
      expect(o.admitted + o["queued-then-admitted"]).toBeGreaterThan(0);
      // Hostile clients hammered, were refused, and got no ticket.
      const hostile = report.hostile!;
      expect(hostile.requests).toBeGreaterThan(60);
      expect(hostile.ticketsWithoutChallenge).toBe(0);
      const ticketAnswers = hostile.answers.filter((a) => a.key.startsWith("ticket "));
      expect(ticketAnswers.length).toBeGreaterThan(0);
      for (const a of ticketAnswers) expect(a.key).toMatch(/^ticket (428|429|503) /);
      expect(hostile.answers.some((a) => a.key === "document 200")).toBe(true);
    } finally {
      await setAttackMode("auto");
    }
  }, 120_000);
});
