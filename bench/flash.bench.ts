/**
 * flash: a scaled replay of the start of the Aug 12 2024 Space, on a fleet: a spike of
 * listener arrivals (the join-storm curve) plus hostile clients ten times as many as the
 * listeners, hammering tickets and the Space document without ever solving a challenge, all
 * through an nginx edge in front of HAProxy and two API nodes (`amphi cluster up`: PostgreSQL,
 * Redis, one media node), and one API node killed (SIGKILL) half-way through. Every listener
 * runs the full journey (`amphi loadtest`, worker processes): Space document, ticket (queueing
 * and proof of work when told), LL-HLS through blocking reloads, heartbeats. Attack mode is on
 * `auto`, the fleet's signals summed in Redis.
 *
 * Baseline, same run: the same spike of listeners on the same kind of fleet, the same node
 * killed, no hostile traffic. Reported: the share of arrivals that saw an error (target 0),
 * the share admitted or queued with a position (target 100%), p95 from arrival to the first
 * audio part (target <= 5 s), tickets won by hostile clients against legit ones (target <= 5%).
 *
 * Scale (env): BENCH_LISTENERS (600), BENCH_HOSTILE_RATIO (10), BENCH_RAMP_SECONDS (20),
 * BENCH_DURATION_SECONDS (45), BENCH_ADMIT_RATE (100/s).
 */
import { fileURLToPath } from "node:url";
import type { LoadtestReport } from "../src/loadtest/report/report-types.ts";
import { runLoadtest } from "../src/loadtest/runner/run-loadtest.ts";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import { type LocalCluster, startCluster } from "../test/support/cluster.ts";
import type { BenchResult } from "./run.ts";
import { round, withTempDir } from "./support.ts";

const listeners = Number(process.env.BENCH_LISTENERS ?? 600);
const hostileRatio = Number(process.env.BENCH_HOSTILE_RATIO ?? 10);
const rampSeconds = Number(process.env.BENCH_RAMP_SECONDS ?? 20);
const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? 45);
const admitRate = Number(process.env.BENCH_ADMIT_RATE ?? 100);
const reportsDir = fileURLToPath(new URL("./results/", import.meta.url));

function startFleet(): Promise<LocalCluster> {
  return startCluster({
    api: 2,
    media: 1,
    edges: 1,
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
  });
}

/** A metric summed over every API node still answering. */
async function metric(cluster: LocalCluster, name: string): Promise<number> {
  let sum = 0;
  for (const node of cluster.info.api) {
    const text = await fetch(`${node.url}/metrics`)
      .then((r) => r.text())
      .catch(() => "");
    for (const line of text.split("\n")) {
      if (line.startsWith(name) && (line[name.length] === " " || line[name.length] === "{")) {
        sum += Number(line.slice(line.lastIndexOf(" ") + 1));
      }
    }
  }
  return sum;
}

async function scenario(name: "flash" | "join-storm") {
  const cluster = await startFleet();
  try {
    const base = cluster.info.balancer;
    const host = await signUp(base);
    const created = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Launch night", startNow: true },
    });
    const spaceId = created.body.space.id as string;
    // Let the program feed publish a few parts before the crowd arrives.
    await new Promise((r) => setTimeout(r, 3_000));
    // Half-way through the spike, one API node dies: HAProxy must send its share elsewhere.
    let killedAtMs = 0;
    const started = Date.now();
    const killer = setTimeout(
      () => {
        killedAtMs = Date.now() - started;
        void cluster.kill("api-1").catch(() => {});
      },
      (rampSeconds * 1000) / 2,
    );
    const { report } = await runLoadtest({
      scenario: name,
      url: cluster.info.entry,
      spaceId,
      clients: listeners,
      durationSeconds,
      rampSeconds,
      hostileRatio: name === "flash" ? hostileRatio : 0,
      hostileRequestsPerSecond: 0.5,
      workers: 2,
      heartbeatSeconds: 10,
      outDir: `${reportsDir}flash-${name}-report`,
    }).finally(() => clearTimeout(killer));
    const attackActive = await metric(cluster, "amphi_attack_mode_active");
    const shed = await metric(cluster, "amphi_load_shed_total");
    return { report, attackActive, shed, killedAtMs };
  } finally {
    await cluster.down();
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

/** Tickets hostile clients won, as a share of the listeners admitted. */
function hostileShare(f: ReturnType<typeof figuresOf>): number {
  const legit = f.outcomes.admitted + f.outcomes["queued-then-admitted"];
  return legit === 0 ? 0 : round(((f.hostile?.ticketsWithoutChallenge ?? 0) / legit) * 100, 1);
}

export async function run(): Promise<BenchResult> {
  return withTempDir(async () => {
    const baseline = await scenario("join-storm");
    const flash = await scenario("flash");
    const b = figuresOf(baseline.report);
    const f = figuresOf(flash.report);
    const figures = {
      scale: { listeners, hostileRatio, rampSeconds, durationSeconds, admitRate },
      flash: {
        ...f,
        attackModeActiveAtEnd: flash.attackActive >= 1,
        shedRequests: flash.shed,
        apiNodeKilledAtMs: flash.killedAtMs,
        hostileTicketsPerLegitPercent: hostileShare(f),
      },
      baselineNoAttack: {
        ...b,
        shedRequests: baseline.shed,
        apiNodeKilledAtMs: baseline.killedAtMs,
      },
      firstPartP95VsBaseline: round(f.firstPartMs.p95 / b.firstPartMs.p95, 2),
      targets: {
        errorSharePercent: 0,
        admittedOrQueuedPercent: 100,
        firstPartP95Ms: 5_000,
        hostileTicketsPerLegitPercent: 5,
      },
      fleet:
        "2 API nodes behind HAProxy, 1 media node, Redis, PostgreSQL, 1 nginx edge; api-1 killed half-way through the ramp",
      reports: [`bench/results/flash-flash-report`, `bench/results/flash-join-storm-report`],
    };
    return {
      summary:
        `${f.arrived} listeners + ${hostileRatio}x hostile: errors ${f.errorSharePercent}%, ` +
        `admitted or queued ${f.admittedOrQueuedPercent}%, admitted ${f.admittedPercent}%, ` +
        `first part p95 ${round(f.firstPartMs.p95, 0)} ms (no attack: ${round(b.firstPartMs.p95, 0)} ms, ` +
        `${figures.firstPartP95VsBaseline}x); hostile tickets ${f.hostile?.ticketsWithoutChallenge ?? 0} ` +
        `(${hostileShare(f)}% of legit admissions) from ${f.hostile?.requests ?? 0} requests; api-1 killed at ${round(flash.killedAtMs / 1000, 1)} s`,
      figures,
    };
  });
}
