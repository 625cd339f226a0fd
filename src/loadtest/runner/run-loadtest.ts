import type { FollowLive } from "../journey.ts";
import { followHls } from "../listener/hls-follower.ts";
import { buildReport } from "../report/build-report.ts";
import type { LoadtestReport, LoadtestSettings } from "../report/report-types.ts";
import { type WrittenReport, writeReport } from "../report/write-report.ts";
import { hasHostileClients, scenarios } from "../scenarios/index.ts";
import { isLoopbackTarget } from "../source-addresses.ts";
import { type ProgressFigures, StatsAggregate } from "../stats/stats-aggregate.ts";
import { StatsRecorder } from "../stats/stats-recorder.ts";
import { runShare } from "./client-runtime.ts";
import type { RunSettings } from "./run-settings.ts";
import { WorkerPool } from "./worker-pool.ts";

export interface LoadtestOptions {
  scenario: string;
  url: string;
  spaceId: string;
  clients: number;
  durationSeconds: number;
  rampSeconds: number;
  hostileRatio: number;
  hostileRequestsPerSecond: number;
  /** 1 runs the clients in this process; more forks that many worker processes. */
  workers: number;
  heartbeatSeconds: number | null;
  outDir: string;
}

export interface LoadtestHooks {
  /** Stops the run early (Ctrl-C); the report covers what happened so far. */
  signal?: AbortSignal;
  /** Called about once a second with the merged figures. */
  onProgress?: (figures: ProgressFigures, second: number) => void;
  /** The LL-HLS follower for in-process runs (workers always use the real one). */
  follow?: FollowLive;
}

export interface LoadtestResult {
  report: LoadtestReport;
  written: WrittenReport;
  /** Workers that crashed or never reported their last figures. */
  lostWorkers: string[];
}

/** Seconds given to clients to finish after the end before they are cut off. */
const stopGraceSeconds = 5;

/**
 * Runs a scenario against an Amphi URL and writes the report: in this process for one
 * worker, otherwise in forked worker processes whose figures stream back and are merged.
 * Stops by itself at the end of the duration, or early on `hooks.signal`.
 */
export async function runLoadtest(
  options: LoadtestOptions,
  hooks: LoadtestHooks = {},
): Promise<LoadtestResult> {
  const scenario = scenarios[options.scenario];
  if (!scenario) throw new Error(`unknown scenario ${options.scenario}`);
  const scenarioOptions = {
    clients: options.clients,
    durationSeconds: options.durationSeconds,
    rampSeconds: Math.min(options.rampSeconds, options.durationSeconds),
    hostileRatio: hasHostileClients(options.scenario) ? options.hostileRatio : 0,
  };
  const plan = scenario.plan(scenarioOptions);
  const plannedHostile = plan.filter((c) => c.kind === "hostile").length;
  const target = new URL(options.url);
  const spread = isLoopbackTarget(target);
  const settings: LoadtestSettings = {
    scenario: options.scenario,
    url: options.url,
    spaceId: options.spaceId,
    clients: options.clients,
    durationSeconds: options.durationSeconds,
    rampSeconds: scenarioOptions.rampSeconds,
    hostileRatio: scenarioOptions.hostileRatio,
    hostileRequestsPerSecond: options.hostileRequestsPerSecond,
    workers: options.workers,
    heartbeatSeconds: options.heartbeatSeconds,
    spreadSourceAddresses: spread,
  };
  const aggregate = new StatsAggregate();
  const external = hooks.signal ?? new AbortController().signal;
  const pool = options.workers > 1 ? await WorkerPool.fork(options.workers) : null;

  const follow = hooks.follow ?? followHls;
  const startedAtMs = Date.now() + 200;
  const runSettings: RunSettings = {
    scenario: options.scenario,
    scenarioOptions,
    url: options.url,
    spaceId: options.spaceId,
    startedAtMs,
    heartbeatSeconds: options.heartbeatSeconds,
    hostileRequestsPerSecond: options.hostileRequestsPerSecond,
    spreadSourceAddresses: spread,
    stopGraceSeconds,
  };
  const second = () => Math.max(0, Math.floor((Date.now() - startedAtMs) / 1000));
  const progress = setInterval(
    () => hooks.onProgress?.(aggregate.progress(second()), second()),
    1000,
  );

  let lostWorkers: string[] = [];
  try {
    if (pool) {
      const onStop = () => pool.stop();
      external.addEventListener("abort", onStop, { once: true });
      try {
        const deadlineMs = (options.durationSeconds + stopGraceSeconds + 15) * 1000;
        const result = await pool.run(
          () => runSettings,
          (d) => aggregate.merge(d),
          deadlineMs,
        );
        lostWorkers = result.lost;
      } finally {
        external.removeEventListener("abort", onStop);
        pool.kill();
      }
    } else {
      const stats = new StatsRecorder(startedAtMs);
      const flush = setInterval(() => aggregate.merge(stats.drain()), 1000);
      try {
        await runShare(runSettings, { index: 0, count: 1 }, { follow, stats, stop: external });
      } finally {
        clearInterval(flush);
        aggregate.merge(stats.drain());
      }
    }
  } finally {
    clearInterval(progress);
  }
  const endedAtMs = Date.now();
  hooks.onProgress?.(aggregate.progress(second()), second());
  const report = buildReport(
    settings,
    {
      startedAtMs,
      endedAtMs,
      stoppedBy: external.aborted ? "signal" : "duration",
      plannedListeners: plan.length - plannedHostile,
      plannedHostile,
    },
    aggregate,
  );
  const written = await writeReport(report, options.outDir);
  return { report, written, lostWorkers };
}
