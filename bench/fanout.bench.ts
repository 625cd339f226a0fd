/**
 * fanout: how many listeners one server keeps fed in real time, on this machine, in one run:
 * ONE nginx caching edge (the config `amphi edge nginx-conf` renders) in front of an Amphi
 * origin serving LL-HLS, against ONE Icecast 2.4 (Debian's icecast2) serving the same kind of
 * stream (32 kbps Opus, fed in real time by ffmpeg). Listeners are added at a steady rate in
 * steps; after each step every listener is checked over a window: keeping up means >= 90% of
 * real time (HLS: media seconds per wall second; Icecast: bytes per second against 4.2 kB/s).
 * A server "keeps N fed" when >= 95% of N listeners keep up. Also per step: join time p50/p99
 * (start to first media), CPU of the server processes (from /proc), and for the edge the
 * origin requests per part published (it should stay flat however many listen).
 *
 * Listeners live in child processes (test/support/listener-swarm.ts), each under 15k
 * sockets. Knobs: BENCH_FANOUT_STEPS (default 1000,2000,3000,5000,10000,15000,20000),
 * BENCH_FANOUT_RATE (new listeners per second, default 500), BENCH_FANOUT_WINDOW_S (8),
 * BENCH_FANOUT_ONLY (edge or icecast: run one side only, for tuning).
 */

import { chmodSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseMediaPlaylist } from "../src/loadtest/listener/media-playlist.ts";
import { type AmphiProcess, startAmphiProcess } from "../test/support/amphi-process.ts";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import {
  type ListenerSwarm,
  startListenerSwarm,
  type WindowSummary,
} from "../test/support/listener-swarm.ts";
import { type NginxEdge, startNginxEdge } from "../test/support/nginx-edge.ts";
import { longLivedHlsPath } from "../test/support/signed-hls.ts";
import { speechWav } from "../test/support/speech-wav.ts";
import { startIcecastPeer } from "./fanout/icecast-peer.ts";
import { cpuSeconds, residentMb } from "./fanout/process-cpu.ts";
import type { BenchResult } from "./run.ts";
import { percentile, round, withTempDir } from "./support.ts";

const steps = (process.env.BENCH_FANOUT_STEPS ?? "1000,2000,3000,5000,10000,15000,20000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const rate = Number(process.env.BENCH_FANOUT_RATE ?? 500);
const windowSeconds = Number(process.env.BENCH_FANOUT_WINDOW_S ?? 8);
/** After a ramp: at least this long, then until 99% have joined (connect storms), at most 30 s. */
const settleSeconds = 3;
const maxSettleSeconds = 30;
/** Listener processes: two cores, and each process stays under the 20k open files cap. */
const swarmCount = Math.max(2, Math.ceil(Math.max(...steps) / 12_000));
/** The whole run stays under 10 minutes: a phase stops stepping past its share of it. */
const phaseBudgetMs = 3.75 * 60_000;
/** Icecast's 32 kbps Opus in Ogg, as it arrives (PEERS.md: about 4.2 kB/s). */
const icecastBytesPerSecond = 4200;
const keepUpShare = 0.9;
const fedShare = 0.95;

interface StepResult {
  listeners: number;
  keepingUp: number;
  shareKeepingUp: number;
  /** Received rate as a share of real time: 5th percentile and median over listeners. */
  rateP5: number;
  rateP50: number;
  joinP50Ms: number | null;
  joinP99Ms: number | null;
  /** Seconds after the ramp until 99% had received media (capped at 30). */
  settledAfterS: number;
  neverJoined: number;
  errors: number;
  /** Worst p99 event-loop delay of the listener processes: high means generator-bound. */
  generatorLagP99Ms: number;
  /** Cores used by the server processes during the window. */
  serverCores: number;
  serverCoresPer1000: number;
  serverMemoryMb: number;
  /** Cores used by the listener processes (the load generator) during the window. */
  clientCores: number;
  /** Edge only: the origin behind it. */
  originCores?: number;
  originRequestsPerPart?: number;
  partsPublished?: number;
}

interface Phase {
  name: "edge" | "icecast";
  kind: "hls" | "icecast";
  url: string;
  serverPids: () => number[];
  /** Media rate (per second) a listener must receive to keep up. */
  needed: number;
  measureExtra?: () => Promise<() => Promise<Partial<StepResult>>>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runPhase(phase: Phase): Promise<StepResult[]> {
  const started = Date.now();
  const swarms: ListenerSwarm[] = [];
  const results: StepResult[] = [];
  try {
    for (let i = 0; i < swarmCount; i++) swarms.push(await startListenerSwarm());
    let current = 0;
    for (const target of steps) {
      const add = target - current;
      if (add <= 0) continue;
      await Promise.all(
        swarms.map((swarm, i) => {
          const share = Math.floor(add / swarmCount) + (i < add % swarmCount ? 1 : 0);
          return swarm.add(phase.kind, phase.url, share, rate / swarmCount);
        }),
      );
      current = target;
      const rampEnded = performance.now();
      await sleep(settleSeconds * 1000);
      for (;;) {
        const status = await Promise.all(swarms.map((s) => s.status()));
        const joined = status.reduce((sum, x) => sum + x.joined, 0);
        if (joined >= 0.99 * target) break;
        if (performance.now() - rampEnded > maxSettleSeconds * 1000) break;
        await sleep(500);
      }
      const settledAfterS = round((performance.now() - rampEnded) / 1000, 1);
      const clientPids = swarms.map((s) => s.pid);
      const server0 = cpuSeconds(phase.serverPids());
      const client0 = cpuSeconds(clientPids);
      const extra = await phase.measureExtra?.();
      const t0 = performance.now();
      await Promise.all(swarms.map((s) => s.windowStart()));
      await sleep(windowSeconds * 1000);
      const windows: WindowSummary[] = await Promise.all(swarms.map((s) => s.windowEnd()));
      const seconds = (performance.now() - t0) / 1000;
      const serverCores = (cpuSeconds(phase.serverPids()) - server0) / seconds;
      const clientCores = (cpuSeconds(clientPids) - client0) / seconds;
      const rates = windows.flatMap((w) => w.rates);
      const keepingUp = rates.filter((r) => r >= keepUpShare * phase.needed).length;
      const joinP50 = windows.map((w) => w.join.p50).filter((v): v is number => v !== null);
      const joinP99 = windows.map((w) => w.join.p99).filter((v): v is number => v !== null);
      const step: StepResult = {
        listeners: rates.length,
        keepingUp,
        shareKeepingUp: round(keepingUp / Math.max(1, rates.length), 4),
        rateP5: round(percentile(rates, 5) / phase.needed, 3),
        rateP50: round(percentile(rates, 50) / phase.needed, 3),
        // Per-process quantiles: the median of medians and the worst p99 across processes.
        joinP50Ms: joinP50.length ? round(percentile(joinP50, 50), 0) : null,
        joinP99Ms: joinP99.length ? round(Math.max(...joinP99), 0) : null,
        settledAfterS,
        neverJoined: windows.reduce((sum, w) => sum + w.neverJoined, 0),
        errors: windows.reduce((sum, w) => sum + w.errors, 0),
        generatorLagP99Ms: round(Math.max(...windows.map((w) => w.loopDelayP99Ms)), 0),
        serverCores: round(serverCores, 3),
        serverCoresPer1000: round((serverCores * 1000) / Math.max(1, rates.length), 4),
        serverMemoryMb: round(residentMb(phase.serverPids()), 0),
        clientCores: round(clientCores, 2),
        ...(extra ? await extra() : {}),
      };
      results.push(step);
      console.error(`fanout ${phase.name}: ${JSON.stringify(step)}`);
      if (step.shareKeepingUp < 0.5) break; // far past capacity: the next steps only add load
      if (Date.now() - started > phaseBudgetMs) break;
    }
  } finally {
    await Promise.all(swarms.map((s) => s.stop().catch(() => s.kill())));
  }
  return results;
}

/** Parts the origin has published so far (msn x parts per segment + index), from its playlist. */
async function partsPublished(originUrl: string, spaceId: string): Promise<number> {
  const text = await (await fetch(`${originUrl}${longLivedHlsPath(spaceId, "live.m3u8")}`)).text();
  const playlist = parseMediaPlaylist(text);
  const last = playlist.parts.at(-1);
  if (!last) return 0;
  const perSegment = Math.max(
    1,
    ...playlist.completeSegments.map((msn) => playlist.parts.filter((p) => p.msn === msn).length),
  );
  return last.msn * perSegment + last.index + 1;
}

async function originHlsRequests(originUrl: string): Promise<number> {
  const text = await (await fetch(`${originUrl}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^amphi_hls_requests_total\{kind="\w+"\} (\d+)/gm)) {
    total += Number(m[1]);
  }
  return total;
}

async function icecastPhase(dir: string): Promise<StepResult[]> {
  // Icecast runs as nobody and writes its logs below this folder.
  chmodSync(dir, 0o755);
  const wav = speechWav(
    "Welcome to the Amphi fan-out benchmark. Many people listen to one conversation at the same time, and every one of them should hear it live, without a gap.",
    dir,
  );
  const peer = await startIcecastPeer({ dir: join(dir, "icecast"), wav, clients: 30_000 });
  try {
    return await runPhase({
      name: "icecast",
      kind: "icecast",
      url: peer.streamUrl,
      serverPids: () => [peer.pid],
      needed: icecastBytesPerSecond,
    });
  } finally {
    await peer.stop();
  }
}

async function edgePhase(dir: string): Promise<StepResult[]> {
  let origin: AmphiProcess | undefined;
  let edge: NginxEdge | undefined;
  try {
    // 0.5 s parts, as its recorded figures (and `amphi capacity`'s fanoutPartSeconds) assume;
    // the default 0.25 s doubles each listener's requests.
    origin = await startAmphiProcess({
      dataDir: join(dir, "amphi"),
      env: { HLS_PART_SECONDS: "0.5" },
    });
    const originUrl = origin.url;
    const host = await signUp(originUrl);
    const created = await api(originUrl, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Fan-out", startNow: true },
    });
    const spaceId = created.body.space.id as string;
    edge = await startNginxEdge({
      originUrl,
      workerProcesses: 2,
      workerConnections: 16_000,
      workerRlimitNofile: 20_000,
    });
    while ((await partsPublished(originUrl, spaceId).catch(() => 0)) < 4) await sleep(250);
    const originPid = origin.child.pid ?? 0;
    const theEdge = edge;
    return await runPhase({
      name: "edge",
      kind: "hls",
      url: `${edge.url}${longLivedHlsPath(spaceId)}`,
      serverPids: () => theEdge.pids(),
      needed: 1,
      measureExtra: async () => {
        const requests0 = await originHlsRequests(originUrl);
        const parts0 = await partsPublished(originUrl, spaceId);
        const cpu0 = cpuSeconds([originPid]);
        const t0 = performance.now();
        return async () => {
          const requests = (await originHlsRequests(originUrl)) - requests0;
          const parts = (await partsPublished(originUrl, spaceId)) - parts0;
          const seconds = (performance.now() - t0) / 1000;
          return {
            originCores: round((cpuSeconds([originPid]) - cpu0) / seconds, 3),
            // The two scrapes' own playlist fetch is one of them.
            originRequestsPerPart: round((requests - 1) / Math.max(1, parts), 2),
            partsPublished: parts,
          };
        };
      },
    });
  } finally {
    await edge?.stop();
    await origin?.stop();
  }
}

/** The largest step whose listeners were >= 95% keeping up (0 if none). */
function keptFed(results: readonly StepResult[]): number {
  return Math.max(
    0,
    ...results.filter((r) => r.shareKeepingUp >= fedShare).map((r) => r.listeners),
  );
}

export async function run(): Promise<BenchResult> {
  const startLoad = loadavg()[0] ?? 0;
  return withTempDir(async (dir) => {
    const only = process.env.BENCH_FANOUT_ONLY;
    const icecast = only === "edge" ? [] : await icecastPhase(dir);
    const edge = only === "icecast" ? [] : await edgePhase(dir);
    const edgeMax = keptFed(edge);
    const icecastMax = keptFed(icecast);
    const perPart = edge
      .map((s) => s.originRequestsPerPart)
      .filter((v): v is number => v !== undefined);
    const originLoadFlat =
      perPart.length > 1 &&
      Math.max(...perPart) <= 3 &&
      Math.max(...perPart) <= 1.5 * Math.min(...perPart);
    const fedSteps = (rs: StepResult[]) => rs.filter((r) => r.shareKeepingUp >= fedShare);
    const meanPer1000 = (rs: StepResult[]) =>
      rs.length ? round(rs.reduce((s, r) => s + r.serverCoresPer1000, 0) / rs.length, 4) : null;
    const figures = {
      machine: { cores: cpus().length, loadAverageAtStart: round(startLoad, 2) },
      settings: { steps, rate, windowSeconds, settleSeconds, swarmCount, keepUpShare, fedShare },
      edge: {
        steps: edge,
        maxListenersKeptFed: edgeMax,
        coresPer1000WhenFed: meanPer1000(fedSteps(edge)),
      },
      icecast: {
        steps: icecast,
        maxListenersKeptFed: icecastMax,
        coresPer1000WhenFed: meanPer1000(fedSteps(icecast)),
      },
      ratioEdgeToIcecast: icecastMax > 0 ? round(edgeMax / icecastMax, 3) : null,
      originRequestsPerPart: perPart,
      originLoadFlat,
    };
    const summary =
      `edge kept ${edgeMax} listeners fed (>=${fedShare * 100}% keeping up), icecast ${icecastMax}; ` +
      `edge/icecast ${figures.ratioEdgeToIcecast ?? "n/a"}; server cores per 1000 listeners edge ` +
      `${figures.edge.coresPer1000WhenFed ?? "n/a"} vs icecast ${figures.icecast.coresPer1000WhenFed ?? "n/a"}; ` +
      `origin requests per part ${perPart.join(", ")} (flat: ${originLoadFlat ? "yes" : "no"})`;
    return { summary, figures };
  });
}
