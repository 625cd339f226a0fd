/**
 * flash: a scaled replay of the start of the Aug 12 2024 Space: a spike of listener arrivals
 * (the join-storm curve) plus hostile clients ten times as many as the listeners, hammering
 * tickets and the Space document without ever solving a challenge. Every listener runs the
 * full journey (`amphi loadtest`, worker processes): Space document, ticket (queueing and
 * proof of work when told), LL-HLS through blocking reloads, heartbeats. The server runs in
 * its own process with the media plane on and attack mode on `auto`, behind one nginx edge
 * (`amphi edge nginx-conf`) as in production: every client talks to the edge, which caches
 * the Space document and HLS and passes tickets and heartbeats to the origin.
 *
 * Baseline, same run: the same spike of listeners with no hostile traffic. Reported: the share
 * of arrivals that saw an error (target 0), the share admitted or queued with a position
 * (target 100%), p95 from arrival to the first audio part (target <= 5 s), the share of
 * listeners admitted during the attack (target >= 99%).
 *
 * Scale (env): BENCH_LISTENERS (600), BENCH_HOSTILE_RATIO (10), BENCH_RAMP_SECONDS (20),
 * BENCH_DURATION_SECONDS (45), BENCH_ADMIT_RATE (100/s).
 */
import { fileURLToPath } from "node:url";
import type { LoadtestReport } from "../src/loadtest/report/report-types.ts";
import { runLoadtest } from "../src/loadtest/runner/run-loadtest.ts";
import { type AmphiProcess, startAmphiProcess } from "../test/support/amphi-process.ts";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import { startNginxEdge } from "../test/support/nginx-edge.ts";
import type { BenchResult } from "./run.ts";
import { round, withTempDir } from "./support.ts";

const listeners = Number(process.env.BENCH_LISTENERS ?? 600);
const hostileRatio = Number(process.env.BENCH_HOSTILE_RATIO ?? 10);
const rampSeconds = Number(process.env.BENCH_RAMP_SECONDS ?? 20);
const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? 45);
const admitRate = Number(process.env.BENCH_ADMIT_RATE ?? 100);
const reportsDir = fileURLToPath(new URL("./results/", import.meta.url));

function startServer(dataDir: string): Promise<AmphiProcess> {
  return startAmphiProcess({
    dataDir,
    env: {
      ADMIT_RATE_PER_SECOND: String(admitRate),
      ATTACK_MODE: "auto",
      // Scaled down with the crowd: the load generator solves every listener's challenge on
      // two shared cores, where a real crowd brings a CPU each. Verifying costs the same.
      ALTCHA_MAX_NUMBER: "100",
      LOAD_SHED_LAG_MS: "250",
      LOAD_SHED_CRITICAL_LAG_MS: "2000",
      LOG_LEVEL: "warn",
    },
    timeoutMs: 60_000,
  });
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(name) && (line[name.length] === " " || line[name.length] === "{")) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

async function scenario(dir: string, name: "flash" | "join-storm") {
  const server = await startServer(`${dir}/${name}`);
  try {
    const host = await signUp(server.url);
    const created = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Launch night", startNow: true },
    });
    const spaceId = created.body.space.id as string;
    // Let the program feed publish a few parts before the crowd arrives.
    await new Promise((r) => setTimeout(r, 3_000));
    // Ten thousand clients on two workers: raise the per-worker connection table (the default
    // 8192 ran out here: nginx logged "worker_connections are not enough" and reset clients).
    const edge = await startNginxEdge({ originUrl: server.url, workerConnections: 16_384 });
    let edgeLog = "";
    const hlsBefore = await metric(server.url, "amphi_hls_requests_total");
    const run = runLoadtest({
      scenario: name,
      url: edge.url,
      spaceId,
      clients: listeners,
      durationSeconds,
      rampSeconds,
      hostileRatio: name === "flash" ? hostileRatio : 0,
      hostileRequestsPerSecond: 0.5,
      workers: 2,
      heartbeatSeconds: 10,
      outDir: `${reportsDir}flash-${name}-report`,
    }).finally(async () => {
      edgeLog = edge.errorLog();
      await edge.stop();
    });
    const { report } = await run;
    const attackActive = await metric(server.url, "amphi_attack_mode_active");
    const shed = await metric(server.url, "amphi_load_shed_total");
    const originHlsRequests = (await metric(server.url, "amphi_hls_requests_total")) - hlsBefore;
    // What nginx complained about, by kind (its messages, without times and addresses).
    const edgeErrors: Record<string, number> = {};
    for (const line of edgeLog.split("\n")) {
      const kind = /\[(error|crit|alert|emerg|warn)\] \d+#\d+: (?:\*\d+ )?([^,(]+)/.exec(line);
      if (kind)
        edgeErrors[`${kind[1]} ${kind[2]?.trim()}`] =
          (edgeErrors[`${kind[1]} ${kind[2]?.trim()}`] ?? 0) + 1;
    }
    return { report, attackActive, shed, originHlsRequests, edgeErrors };
  } finally {
    await server.stop();
  }
}

function figuresOf(report: LoadtestReport) {
  const arrived = report.clients.arrivedListeners;
  const o = report.outcomes;
  const admitted = o.admitted + o["queued-then-admitted"];
  const withPlace = admitted + o["still-queued"];
  const share = (n: number) => (arrived === 0 ? 0 : round((n / arrived) * 100, 2));
  return {
    arrived,
    outcomes: o,
    errorSharePercent: share(report.counts.listenersWithErrors),
    admittedOrQueuedPercent: share(withPlace),
    admittedPercent: share(admitted),
    firstPartMs: report.latencyMs.firstPart,
    ticketMs: report.latencyMs.ticket,
    challengeSolveMs: report.latencyMs.challengeSolve,
    stalls: report.counts.stalls,
    listenersFallingBehind: report.counts.listenersFallingBehind,
    errors: report.errors,
    hostile: report.hostile,
    generatorLagMs: report.latencyMs.generatorLag,
  };
}

export async function run(): Promise<BenchResult> {
  return withTempDir(async (dir) => {
    const baseline = await scenario(dir, "join-storm");
    const flash = await scenario(dir, "flash");
    const b = figuresOf(baseline.report);
    const f = figuresOf(flash.report);
    const figures = {
      scale: { listeners, hostileRatio, rampSeconds, durationSeconds, admitRate },
      flash: {
        ...f,
        attackModeActiveAtEnd: flash.attackActive === 1,
        shedRequests: flash.shed,
        originHlsRequests: flash.originHlsRequests,
        edgeErrors: flash.edgeErrors,
      },
      baselineNoAttack: {
        ...b,
        shedRequests: baseline.shed,
        originHlsRequests: baseline.originHlsRequests,
        edgeErrors: baseline.edgeErrors,
      },
      firstPartP95VsBaseline: round(f.firstPartMs.p95 / b.firstPartMs.p95, 2),
      targets: {
        errorSharePercent: 0,
        admittedOrQueuedPercent: 100,
        firstPartP95Ms: 5_000,
        admittedPercent: 99,
      },
      reports: [`bench/results/flash-flash-report`, `bench/results/flash-join-storm-report`],
    };
    return {
      summary:
        `${f.arrived} listeners + ${hostileRatio}x hostile: errors ${f.errorSharePercent}%, ` +
        `admitted or queued ${f.admittedOrQueuedPercent}%, admitted ${f.admittedPercent}%, ` +
        `first part p95 ${round(f.firstPartMs.p95, 0)} ms (no attack: ${round(b.firstPartMs.p95, 0)} ms, ` +
        `${figures.firstPartP95VsBaseline}x); hostile tickets without a challenge: ` +
        `${f.hostile?.ticketsWithoutChallenge ?? 0} of ${f.hostile?.requests ?? 0} requests`,
      figures,
    };
  });
}
