/**
 * failover: what each fault of the fault-injection suite (issue 9 item 4) costs listeners,
 * joins, the recording and the speakers, on a fleet (`amphi cluster up`: PostgreSQL, Redis,
 * 2 API nodes behind HAProxy, 2 media nodes, 2 nginx edges). The same harness as
 * test/integration/failover.test.ts (test/support/faults/), at a larger scale: while
 * BENCH_LISTENERS listeners follow a live Space through the edges, the host speaks over WHIP,
 * new joins arrive at BENCH_JOINS_PER_SECOND and account/Space changes at
 * BENCH_WRITES_PER_SECOND, in turn: kill -9 of api-1, of the media node owning the Space, of
 * Redis, of edge-1 (each BENCH_DOWN_SECONDS down, then started again), and a restart of
 * PostgreSQL.
 *
 * Per fault (window: from its kill to the next kill): the listeners' longest audio gap
 * (p50, p99, max over listeners), joins ok (200 or 202; a 5xx or network error on every edge
 * is a failure), recording parts lost (received live, missing from the replay), and the time
 * from the kill until the speaker is heard again (first audible part, decoded, after the
 * longest stretch without the voice). Baseline in the same run: the quiet window before the
 * first fault.
 */

import {
  describeWindow,
  type FaultReport,
  runFailoverScenario,
} from "../test/support/faults/failover-scenario.ts";
import { FAULTS } from "../test/support/faults/fault-runner.ts";
import type { BenchResult } from "./run.ts";
import { round } from "./support.ts";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function figuresOf(w: FaultReport) {
  return {
    member: w.member,
    windowMs: w.windowMs,
    memberBackAfterMs: w.downForMs,
    listenersMeasured: w.listeners,
    audioGapMs: {
      p50: round(w.gapMs.p50, 0),
      p99: round(w.gapMs.p99, 0),
      max: round(w.gapMs.max, 0),
    },
    listenersOverGapBound: w.listenersOverGap,
    speakerHeardAgainMs: w.heardAgainMs
      ? {
          p50: round(w.heardAgainMs.p50, 0),
          max: round(w.heardAgainMs.max, 0),
          listenersNeverHearingAgain: w.heardAgainMs.neverHeardAgain,
        }
      : null,
    longestVoiceSilenceMs: {
      p50: round(w.speakerSilenceMs.p50, 0),
      max: round(w.speakerSilenceMs.max, 0),
    },
    joins: { ...w.joins, okPercent: round(w.joins.okPercent, 3) },
    recordingPartsLost: w.partsLost,
    speakerLostAfterMs: w.speakerLostAfterMs,
    speakerReconnectedAfterMs: w.speakerConnectedAfterMs,
  };
}

export async function run(): Promise<BenchResult> {
  const options = {
    listeners: env("BENCH_LISTENERS", 50),
    joinsPerSecond: env("BENCH_JOINS_PER_SECOND", 40),
    writesPerSecond: env("BENCH_WRITES_PER_SECOND", 2),
    downMs: env("BENCH_DOWN_SECONDS", 10) * 1000,
    settleMs: env("BENCH_SETTLE_SECONDS", 5) * 1000,
    recoverMs: env("BENCH_RECOVER_SECONDS", 75) * 1000,
    baselineMs: env("BENCH_BASELINE_SECONDS", 10) * 1000,
    maxGapMs: 5_000,
    log: (line: string) => console.error(`[failover] ${line}`),
  };
  const report = await runFailoverScenario(options);
  for (const w of report.windows) console.error(`[failover] ${describeWindow(w)}`);
  const byFault = Object.fromEntries(report.windows.map((w) => [w.fault, figuresOf(w)]));
  const figures = {
    scale: { ...options, log: undefined },
    faults: byFault,
    joinsOverall: { ...report.joinsOverall, okPercent: round(report.joinsOverall.okPercent, 3) },
    recording: {
      partsReceived: report.recording.partsReceived,
      partsInReplay: report.recording.partsInReplay,
      partsLost: report.recording.partsLost,
      lost: report.recording.lost.slice(0, 50),
      error: report.recording.error,
    },
    writes: report.writes,
    listeners: report.listeners,
    speaker: {
      connections: report.speaker.connectedAt.length,
      failedAttempts: report.speaker.failedAttempts,
      lastError: report.speaker.lastError,
    },
    durationMs: report.durationMs,
    targets: { joinsOkPercent: 99.9, audioGapMaxMs: 5_000, recordingPartsLost: 0, changesLost: 0 },
    fleet: "2 API nodes behind HAProxy, 2 media nodes, Redis, PostgreSQL, 2 nginx edges",
  };
  const s = (ms: number) => `${round(ms / 1000, 1)}s`;
  const line = (fault: string) => {
    const w = report.windows.find((x) => x.fault === fault);
    if (!w) return `${fault}: -`;
    const heard = w.heardAgainMs ? s(w.heardAgainMs.max) : "never";
    return `${fault} gap ${s(w.gapMs.p50)}/${s(w.gapMs.p99)}/${s(w.gapMs.max)} joins ${round(w.joins.okPercent, 2)}% lost ${w.partsLost} heard ${heard}`;
  };
  return {
    summary:
      `${report.listeners.started} listeners (gap p50/p99/max, joins ok, parts lost, speaker heard again): ` +
      ["baseline", ...FAULTS].map(line).join("; ") +
      `; changes lost ${report.writes.lost.length} of ${report.writes.acknowledged}`,
    figures,
  };
}
