import { type ChildProcess, spawn } from "node:child_process";
import Fastify, { type FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installErrorHandler } from "../http/error-handler.ts";
import { EventLoopLagMonitor, type LagSource } from "./event-loop-lag.ts";
import { classifyAmphiRequest, installLoadShedding, LoadShedder } from "./load-shedder.ts";

class FixedLag implements LagSource {
  constructor(public value: number) {}
  lagMs(): number {
    return this.value;
  }
}

function busyLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Deliberately blocks the event loop.
  }
}

describe("LoadShedder", () => {
  it("sheds nothing while the lag is under the normal threshold", () => {
    const shedder = new LoadShedder(new FixedLag(99), { normalLagMs: 100 });
    for (const priority of ["normal", "critical", "exempt"] as const) {
      expect(shedder.decide(priority)).toEqual({ shed: false });
    }
  });

  it("sheds normal requests over the first threshold, critical ones only over the second", () => {
    const lag = new FixedLag(500);
    const shedder = new LoadShedder(lag, { normalLagMs: 100, criticalLagMs: 2000 });
    expect(shedder.decide("normal")).toMatchObject({ shed: true });
    expect(shedder.decide("critical")).toEqual({ shed: false });
    lag.value = 2001;
    expect(shedder.decide("critical")).toMatchObject({ shed: true });
    expect(shedder.decide("exempt")).toEqual({ shed: false });
    expect(shedder.shed()).toEqual({ normal: 1, critical: 1 });
  });

  it("never sheds critical requests when their threshold is Infinity", () => {
    const shedder = new LoadShedder(new FixedLag(1e9), { criticalLagMs: Infinity });
    expect(shedder.decide("critical")).toEqual({ shed: false });
  });

  it("spreads Retry-After over the configured whole seconds", () => {
    const draws = [0, 0.4999, 0.99999];
    const shedder = new LoadShedder(new FixedLag(1000), {
      retryAfterSeconds: { min: 1, max: 4 },
      random: () => draws.shift() ?? 0,
    });
    const seen = [0, 1, 2].map(() => shedder.decide("normal"));
    expect(seen).toEqual([
      { shed: true, retryAfter: 1 },
      { shed: true, retryAfter: 2 },
      { shed: true, retryAfter: 4 },
    ]);
  });

  it("counts shed requests by priority on the registry it is given", async () => {
    const registry = new Registry();
    const shedder = new LoadShedder(new FixedLag(150), { normalLagMs: 100 });
    shedder.registerMetrics(registry);
    shedder.decide("normal");
    shedder.decide("normal");
    shedder.decide("critical");
    const text = await registry.metrics();
    expect(text).toContain('amphi_load_shed_total{priority="normal"} 2');
    expect(text).toContain('amphi_load_shed_total{priority="critical"} 0');
    expect(text).toContain("amphi_load_shedder_lag_seconds 0.15");
  });
});

describe("classifyAmphiRequest", () => {
  it.each([
    ["POST", "/api/spaces/abc/tickets", "critical"],
    ["POST", "/api/spaces/abc/heartbeat?x=1", "critical"],
    ["GET", "/api/spaces/abc/challenge", "critical"],
    ["GET", "/hls/abc/live.m3u8?_HLS_msn=3&_HLS_part=1", "critical"],
    ["GET", "/hls/abc/part-3-1.m4s", "critical"],
    ["GET", "/metrics", "critical"],
    ["GET", "/healthz", "exempt"],
    ["GET", "/readyz", "exempt"],
    ["GET", "/api/spaces/abc", "normal"],
    ["GET", "/api/spaces/abc/tickets", "normal"],
    ["POST", "/api/spaces/abc/requests", "normal"],
    ["POST", "/api/spaces/abc/tickets/extra", "normal"],
    ["GET", "/", "normal"],
  ] as const)("%s %s is %s", (method, url, priority) => {
    expect(classifyAmphiRequest(method, url)).toBe(priority);
  });
});

describe("EventLoopLagMonitor", () => {
  it("reads a stall of the event loop right after it, then forgets it", async () => {
    const monitor = new EventLoopLagMonitor({ intervalMs: 20, halfLifeMs: 100 });
    monitor.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      busyLoop(300);
      // Before the timer has had a chance to run: seen as overdue.
      expect(monitor.lagMs()).toBeGreaterThanOrEqual(250);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 0));
      // After the timer ran: the stall it measured.
      expect(monitor.lagMs()).toBeGreaterThanOrEqual(150);
      // Ten half-lives later, a 300 ms stall weighs under a millisecond; a busy machine
      // may add its own scheduling delays, hence the margin.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(monitor.lagMs()).toBeLessThan(150);
    } finally {
      monitor.stop();
    }
    expect(monitor.lagMs()).toBe(0);
  });
});

/**
 * The client runs in a child process: while the server's loop is blocked, this process cannot
 * send anything. It pings /healthz until a ping goes unanswered (the server is inside the busy
 * loop), then sends a normal and a critical request, which wait in the kernel until the loop is
 * free again, and prints what they got.
 */
const clientScript = `
const base = process.env.BASE;
const block = fetch(base + "/block").then((r) => r.status);
let blocked = false;
for (let i = 0; i < 200 && !blocked; i++) {
  const ping = fetch(base + "/healthz").then(() => true);
  blocked = !(await Promise.race([ping, new Promise((r) => setTimeout(() => r(false), 400))]));
  if (!blocked) await new Promise((r) => setTimeout(r, 20));
}
const read = async (r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.json() });
const [normal, critical] = await Promise.all([
  fetch(base + "/api/spaces/s1").then(read),
  fetch(base + "/api/spaces/s1/tickets", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  }).then(read),
]);
console.log(JSON.stringify({ blocked, block: await block, normal, critical }));
`;

describe("installLoadShedding on a real fastify app", () => {
  let app: FastifyInstance;
  let base: string;
  let monitor: EventLoopLagMonitor;
  let shedder: LoadShedder;
  const registry = new Registry();
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    monitor = new EventLoopLagMonitor();
    monitor.start();
    // Generous thresholds so a busy test machine's own hiccups (GC, a starved CPU) never shed
    // anything; the blocking request stalls the loop three times longer than normalLagMs.
    shedder = new LoadShedder(monitor, { normalLagMs: 1000, criticalLagMs: 60_000 });
    shedder.registerMetrics(registry);
    app = Fastify();
    installErrorHandler(app);
    installLoadShedding(app, shedder);
    app.get("/healthz", async () => ({ status: "ok" }));
    app.get("/block", async () => {
      busyLoop(3000);
      return { blocked: true };
    });
    app.get("/api/spaces/:id", async () => ({ space: "document" }));
    app.post("/api/spaces/:id/tickets", async () => ({ ticket: "t" }));
    base = await app.listen({ port: 0, host: "127.0.0.1" });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    monitor.stop();
    await app.close();
  });

  it("sheds nothing while the loop is healthy", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await fetch(`${base}/api/spaces/s${i}`)).status);
      statuses.push((await fetch(`${base}/api/spaces/s${i}/tickets`, { method: "POST" })).status);
    }
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(shedder.shed()).toEqual({ normal: 0, critical: 0 });
  });

  it("answers 503 with Retry-After to a normal route and 200 to a critical one while a request blocks the loop", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", clientScript], {
      env: { ...process.env, BASE: base },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    const result = JSON.parse(output);
    expect(result.blocked).toBe(true);
    expect(result.block).toBe(200);
    expect(result.normal.status).toBe(503);
    expect(result.normal.body.error.code).toBe("AMPHI_OVERLOADED");
    expect(Number(result.normal.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(result.normal.retryAfter)).toBeLessThanOrEqual(5);
    expect(result.critical).toMatchObject({ status: 200, body: { ticket: "t" } });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/amphi_load_shed_total\{priority="normal"\} [1-9]/);
    expect(metrics).toContain('amphi_load_shed_total{priority="critical"} 0');
  }, 30_000);
});
