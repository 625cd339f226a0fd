/**
 * join: how many listener tickets one Amphi process issues per second, and what a crowd
 * arriving faster than the admit rate gets. The server runs in its own process; the load
 * generator (autocannon) in another, both on this 2-core machine (so they share it).
 *
 * 1. capacity: closed loop, 64 connections, every arrival admitted (admit rate unbounded):
 *    tickets/s at saturation.
 * 2. sustainable: an open-loop rate of 70% of that capacity: p50/p99 and errors. This is the
 *    "tickets per second at p99 < 50 ms" figure.
 * 3. surge: the admit rate set to a fifth of the sustainable rate and arrivals at 5x the admit
 *    rate: every arrival must get a ticket or a place in line (0 errors), the surplus queued.
 * Baseline, same run: GET /healthz (no signing, no gate), closed loop: the cost of HTTP alone.
 * 4. fleet: the same closed loop through HAProxy in front of 1, then 2 API nodes of a local
 *    fleet (`amphi cluster up`, bench/join-fleet.ts); the ratio of 2 to 1 says how far a
 *    second node carries the join path here (BENCH_FLEET=0 skips it).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type AmphiProcess, startAmphiProcess } from "../test/support/amphi-process.ts";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import { type FleetJoinRun, measureFleetJoin } from "./join-fleet.ts";
import type { BenchResult } from "./run.ts";
import { cpuSeconds, round, withTempDir } from "./support.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

interface Cannon {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
  errors: number;
  timeouts: number;
  byStatus: Record<string, number>;
}

/** Runs autocannon in its own process and reads its JSON report. */
function cannon(
  url: string,
  options: { method?: string; body?: string; connections: number; rate?: number },
): Promise<Cannon> {
  const args = [
    "-j",
    "-c",
    String(options.connections),
    "-d",
    String(seconds),
    "-t",
    "10",
    "-m",
    options.method ?? "GET",
  ];
  if (options.body !== undefined)
    args.push("-H", "content-type=application/json", "-b", options.body);
  if (options.rate) args.push("-R", String(Math.round(options.rate)));
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(`${root}node_modules/.bin/autocannon`, args, {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err}`));
      const r = JSON.parse(out);
      const byStatus: Record<string, number> = {};
      for (const [status, v] of Object.entries(r.statusCodeStats ?? {}))
        byStatus[status] = (v as { count: number }).count;
      resolve({
        requestsPerSecond: r.requests.average,
        p50: r.latency.p50,
        p90: r.latency.p90,
        p99: r.latency.p99,
        max: r.latency.max,
        total: r.requests.total,
        errors: r.errors,
        timeouts: r.timeouts,
        byStatus,
      });
    });
  });
}

async function liveSpace(base: string): Promise<string> {
  // A server just started on a busy machine may shed the first requests (503): try again.
  let host: Awaited<ReturnType<typeof signUp>> | undefined;
  for (let attempt = 1; !host; attempt++) {
    try {
      host = await signUp(base);
    } catch (error) {
      if (attempt >= 20 || !String(error).includes("503")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const res = await api(base, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Join bench", startNow: true },
  });
  return res.body.space.id as string;
}

function startServer(dataDir: string, admitRate: number): Promise<AmphiProcess> {
  return startAmphiProcess({
    dataDir,
    env: {
      MEDIA_PLANE: "off",
      ADMIT_RATE_PER_SECOND: String(admitRate),
      // The load generator is one address and the bench measures the gate, not attack mode.
      NETWORK_LIMIT_EXEMPT: "127.0.0.1",
      ATTACK_MODE: "off",
      LOAD_SHED_LAG_MS: "100",
      LOAD_SHED_CRITICAL_LAG_MS: "2000",
      LOG_LEVEL: "warn",
    },
  });
}

export async function run(): Promise<BenchResult> {
  return withTempDir(async (dir) => {
    const open = await startServer(`${dir}/open`, 1_000_000);
    let capacity: Cannon;
    let sustained: Cannon;
    let baseline: Cannon;
    // The server's own CPU per answer (from /proc), apart from autocannon's share of the cores.
    const serverCpu = async (run: () => Promise<Cannon>) => {
      const before = cpuSeconds(open.child.pid ?? null);
      const result = await run();
      const used = cpuSeconds(open.child.pid ?? null) - before;
      return { result, microsPerAnswer: round((used * 1e6) / Math.max(1, result.total), 1) };
    };
    let cpuPerAnswer: { healthz: number; tickets: number };
    try {
      const id = await liveSpace(open.url);
      const tickets = `${open.url}/api/spaces/${id}/tickets`;
      // Warm-up: JIT, connection setup.
      await cannonShort(tickets);
      const bare = await serverCpu(() => cannon(`${open.url}/healthz`, { connections: 64 }));
      const joins = await serverCpu(() =>
        cannon(tickets, { method: "POST", body: "{}", connections: 64 }),
      );
      baseline = bare.result;
      capacity = joins.result;
      cpuPerAnswer = { healthz: bare.microsPerAnswer, tickets: joins.microsPerAnswer };
      sustained = await cannon(tickets, {
        method: "POST",
        body: "{}",
        connections: 64,
        rate: capacity.requestsPerSecond * 0.7,
      });
    } finally {
      await open.stop();
    }

    const sustainable = sustained.requestsPerSecond;
    const admitRate = Math.max(1, Math.round(sustainable / 5));
    const gated = await startServer(`${dir}/gated`, admitRate);
    let surge: Cannon;
    try {
      const id = await liveSpace(gated.url);
      surge = await cannon(`${gated.url}/api/spaces/${id}/tickets`, {
        method: "POST",
        body: "{}",
        connections: 64,
        rate: admitRate * 5,
      });
    } finally {
      await gated.stop();
    }

    // The fleet: HAProxy, Redis and the nodes share these two cores with autocannon.
    const fleet: FleetJoinRun[] = [];
    if (process.env.BENCH_FLEET !== "0") {
      fleet.push(await measureFleetJoin(1, cannon));
      fleet.push(await measureFleetJoin(2, cannon));
    }
    const [one, two] = fleet;
    const fleetRatio = one && two ? round(two.answeredPerSecond / one.answeredPerSecond, 2) : null;

    const admitted = surge.byStatus["200"] ?? 0;
    const queued = surge.byStatus["202"] ?? 0;
    const answered = Object.values(surge.byStatus).reduce((a, b) => a + b, 0);
    const surgeErrors = surge.errors + surge.timeouts + (answered - admitted - queued);
    const figures = {
      seconds,
      baselineHealthz: baseline,
      capacity,
      sustained: { ...sustained, offeredRate: round(capacity.requestsPerSecond * 0.7, 0) },
      surge: {
        ...surge,
        admitRatePerSecond: admitRate,
        offeredRate: admitRate * 5,
        admitted,
        queued,
        errors: surgeErrors,
        // Tokens: the burst (1 s of admit rate) plus the rate over the run.
        admittedExpectedAtMost: admitRate * (seconds + 1),
      },
      ticketsVsHealthz: round(capacity.requestsPerSecond / baseline.requestsPerSecond, 2),
      // The same comparison in the server's CPU per answer (µs; user + system from /proc).
      serverCpuMicrosPerAnswer: cpuPerAnswer,
      ticketsVsHealthzServerCpu: round(cpuPerAnswer.healthz / cpuPerAnswer.tickets, 2),
      fleet: fleet.map((f) => ({
        apiNodes: f.apiNodes,
        ticketsPerSecond: round(f.answeredPerSecond, 0),
        ticketsP50Ms: f.tickets.p50,
        ticketsP99Ms: f.tickets.p99,
        byStatus: f.tickets.byStatus,
        errors: f.tickets.errors + f.tickets.timeouts,
        healthzThroughBalancerPerSecond: round(f.healthz.requestsPerSecond, 0),
        coresDuringTickets: f.cores,
      })),
      fleetTwoVsOneApiNode: fleetRatio,
      targets: { ticketsPerSecond: 10_000, p99Ms: 50, ticketsVsHealthz: 0.7, fleetTwoVsOne: 1.8 },
    };
    return {
      summary:
        `capacity ${round(capacity.requestsPerSecond, 0)} tickets/s ` +
        `(${figures.ticketsVsHealthz}x of /healthz ${round(baseline.requestsPerSecond, 0)}/s; ` +
        `server CPU ${cpuPerAnswer.tickets} µs a ticket vs ${cpuPerAnswer.healthz} µs, ${figures.ticketsVsHealthzServerCpu}x); ` +
        `sustained ${round(sustainable, 0)}/s p50 ${sustained.p50} ms p99 ${sustained.p99} ms; ` +
        `surge 5x admit ${admitRate}/s: ${admitted} admitted, ${queued} queued, ${surgeErrors} errors, p99 ${surge.p99} ms` +
        (one && two
          ? `; fleet through HAProxy: 1 API node ${round(one.answeredPerSecond, 0)}/s, 2 nodes ${round(two.answeredPerSecond, 0)}/s (${fleetRatio}x)`
          : ""),
      figures,
    };
  });

  function cannonShort(url: string) {
    return cannon(url, { method: "POST", body: "{}", connections: 8 });
  }
}
