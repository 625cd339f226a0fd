/**
 * The failover scenario shared by the fault-injection test (test/integration/failover.test.ts)
 * and the benchmark (bench/failover.bench.ts). On a fleet started with `amphi cluster up`
 * (PostgreSQL, Redis, 2 API nodes behind HAProxy, 2 media nodes, 2 nginx edges):
 *
 * 1. a host signs up and creates a live Space with recording on; the host speaks into it over
 *    WHIP (speaker.ts: a tone, reconnecting when its connection is lost);
 * 2. `listeners` simulated listeners join through the edges and follow its LL-HLS
 *    (listener.ts); a steady stream of new joins (joins.ts, `joinsPerSecond`) and of account
 *    and Space changes (writes.ts, `writesPerSecond`) runs all along;
 * 3. after a quiet baseline window, each fault in turn (fault-runner.ts): kill -9 of an API
 *    node, of the media node owning the Space, of Redis, of an edge (each down `downMs`, then
 *    started again), and a restart of PostgreSQL; after each, `settleMs` once the member is
 *    back, then until every listener gets parts and the speaker is heard (`recoverMs` at most);
 * 4. the Space is ended; every acknowledged change is read back, and every part listeners got
 *    is looked for in the replay (recording-check.ts).
 *
 * `FAILOVER_KEEP_LOGS=DIR` copies the members' logs there before the fleet goes down;
 * `FAILOVER_TRACE=FILE` appends every request of the first listener (and its outcome) to FILE,
 * and the kills and restarts.
 *
 * Every loop stops by itself (an AbortSignal per activity, timeouts on every request), and
 * the fleet is brought down (`amphi cluster down`: every member stopped by its pid) whatever
 * happens.
 */
import { setMaxListeners } from "node:events";
import { appendFileSync, cpSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { api, signUp } from "../amphi-test-server.ts";
import { type LocalCluster, startCluster } from "../cluster.ts";
import { EdgePool } from "./edge-pool.ts";
import { FAULTS, type FaultName, type FaultTimes, injectFault } from "./fault-runner.ts";
import { runJoinStream } from "./joins.ts";
import { type ListenerRecord, newListenerRecord, runListener } from "./listener.ts";
import { type WindowFigures, windowFigures } from "./measurements.ts";
import { PartLevels } from "./part-audio.ts";
import { checkRecording, type RecordingCheck } from "./recording-check.ts";
import { type SpeakerEvents, startSpeaker } from "./speaker.ts";
import { runWriter, verifyChanges, type WriteLog } from "./writes.ts";

export interface FailoverOptions {
  listeners: number;
  joinsPerSecond: number;
  writesPerSecond: number;
  /** How long each killed member stays down (PostgreSQL: restarted at once). */
  downMs: number;
  /** After a member is back, before the next fault. */
  settleMs: number;
  /**
   * Then, at most this long, until every listener gets parts again and the speaker is heard
   * (so one fault's harm is not counted in the next fault's window).
   */
  recoverMs: number;
  baselineMs: number;
  /** The gap reported as too long (the assertion's bound). */
  maxGapMs: number;
  faults?: readonly FaultName[];
  log?: (line: string) => void;
}

export interface FaultReport extends WindowFigures {
  fault: FaultName | "baseline";
  member: string | null;
  windowMs: number;
  /** Kill to member ready again (ms). */
  downForMs: number | null;
  /** Received parts of this window missing or different in the replay. */
  partsLost: number;
  /** When the speaker saw its connection lost, and reconnected, in this window (ms after its start). */
  speakerLostAfterMs: number[];
  speakerConnectedAfterMs: number[];
}

export interface FailoverReport {
  options: FailoverOptions;
  windows: FaultReport[];
  listeners: { started: number; admitted: number; gotMedia: number; edgeSwitches: number };
  writes: {
    acknowledged: number;
    unacknowledged: number;
    unacknowledgedOutcomes: Record<string, number>;
    retried503: number;
    lost: string[];
  };
  recording: Omit<RecordingCheck, "lost"> & { partsLost: number; lost: RecordingCheck["lost"] };
  speaker: SpeakerEvents;
  joinsOverall: { attempted: number; ok: number; okPercent: number };
  durationMs: number;
}

const epochMs = () => performance.timeOrigin + performance.now();

async function waitForPlaylist(entry: string, path: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const res = await fetch(`${entry}${path}`).catch(() => null);
    if (res?.status === 200 && (await res.text()).includes("#EXT-X-PART")) return;
    await sleep(250);
  }
  throw new Error("the Space's playlist never appeared");
}

function traceLine(line: string): void {
  const path = process.env.FAILOVER_TRACE;
  if (path) appendFileSync(path, `${new Date().toISOString()} ${line}\n`);
}

/** Every listener got a part, and someone heard the speaker, in the last 2 s. */
function healthy(records: readonly ListenerRecord[]): boolean {
  const now = epochMs();
  const recent = (at: number | undefined) => at !== undefined && now - at < 2_000;
  return (
    records.every((r) => recent(r.parts.at(-1)?.at)) &&
    records.some((r) => recent(r.parts.findLast((p) => p.audible)?.at))
  );
}

async function waitForRecovery(records: readonly ListenerRecord[], maxMs: number) {
  const deadline = epochMs() + maxMs;
  while (!healthy(records)) {
    if (epochMs() > deadline) return false;
    await sleep(250);
  }
  return true;
}

export async function runFailoverScenario(options: FailoverOptions): Promise<FailoverReport> {
  const log = options.log ?? (() => {});
  const started = epochMs();
  let cluster: LocalCluster | undefined;
  const stops: AbortController[] = [];
  try {
    cluster = await startCluster({
      api: 2,
      media: 2,
      edges: 2,
      env: {
        ADMIT_RATE_PER_SECOND: "1000",
        ATTACK_MODE: "off",
        NETWORK_LIMIT_EXEMPT: "127.0.0.0/8",
        SIGNUPS_PER_IP: "100000",
        LOG_LEVEL: "warn",
      },
    });
    log(`fleet up in ${Math.round(epochMs() - started)} ms (${cluster.dir})`);
    const { balancer } = cluster.info;
    const pool = new EdgePool(cluster.info.edges);
    const host = await signUp(balancer);
    const created = await api(balancer, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Failover night", startNow: true, recording: true },
    });
    if (created.status !== 201) throw new Error(`create Space: ${created.status}`);
    const spaceId = created.body.space.id as string;
    // The host is on stage muted at first: unmuted, their voice is in the program.
    const unmuted = await api(
      balancer,
      "POST",
      `/api/spaces/${spaceId}/participants/${host.handle}/unmute`,
      { token: host.token },
    );
    if (unmuted.status !== 200) throw new Error(`unmute: ${unmuted.status}`);
    await waitForPlaylist(cluster.info.entry, cluster.hlsPath(spaceId, "live.m3u8"));
    const speaker = await startSpeaker({ pool, spaceId, token: host.token });

    // Listeners, started over ~2 s; all of them playing before the baseline starts.
    const levels = new PartLevels();
    const listening = new AbortController();
    // Every listener's requests listen to it (AbortSignal.any): no leak, many listeners.
    setMaxListeners(0, listening.signal);
    stops.push(listening);
    const records: ListenerRecord[] = [];
    const live: Promise<ListenerRecord>[] = [];
    for (let i = 0; i < options.listeners; i++) {
      const record = newListenerRecord(i);
      records.push(record);
      const tracePath = process.env.FAILOVER_TRACE;
      const trace =
        tracePath && i === 0
          ? (line: string) => appendFileSync(tracePath, `${new Date().toISOString()} ${line}\n`)
          : undefined;
      live.push(
        runListener({
          record,
          pool,
          spaceId,
          levels,
          signal: listening.signal,
          ...(trace ? { trace } : {}),
        }),
      );
      await sleep(2_000 / options.listeners);
    }
    for (let i = 0; i < 80 && records.some((r) => r.parts.length < 4); i++) await sleep(250);
    log(`${records.filter((r) => r.parts.length > 0).length} listeners playing`);

    const joining = new AbortController();
    const writing = new AbortController();
    stops.push(joining, writing);
    const joins = runJoinStream({
      pool,
      spaceId,
      perSecond: options.joinsPerSecond,
      signal: joining.signal,
    });
    const writes = runWriter({
      pool,
      hostToken: host.token,
      perSecond: options.writesPerSecond,
      signal: writing.signal,
    });

    const baselineFrom = epochMs();
    await sleep(options.baselineMs);
    const times: FaultTimes[] = [];
    for (const fault of options.faults ?? FAULTS) {
      log(`fault: ${fault}`);
      traceLine(`fault ${fault}: killing`);
      const t = await injectFault(cluster, fault, spaceId, options.downMs);
      traceLine(`fault ${fault}: ${t.member} back`);
      times.push(t);
      log(`  ${t.member} killed, back after ${Math.round(t.readyAt - t.killedAt)} ms`);
      await sleep(options.settleMs);
      const recovered = await waitForRecovery(records, options.recoverMs);
      log(
        `  ${recovered ? "recovered" : "NOT recovered"} ${Math.round(epochMs() - t.killedAt)} ms after the kill`,
      );
    }
    const end = epochMs();
    joining.abort();
    writing.abort();
    const [joinAttempts, writeLog] = await Promise.all([joins, writes]);

    // End the Space (retried while the fleet answers 503), then let the listeners go.
    for (let i = 0; i < 20; i++) {
      const ended = await api(balancer, "POST", `/api/spaces/${spaceId}/end`, {
        token: host.token,
      }).catch(() => null);
      if (ended?.status === 200) break;
      await sleep(1_000);
    }
    await sleep(2_000);
    listening.abort();
    await Promise.all(live);
    await speaker.stop();

    const lostWrites = await verifyChanges(balancer, writeLog);
    const recording = await checkRecording(balancer, spaceId, records);

    const windows: FaultReport[] = [];
    const boundaries = [
      { fault: "baseline" as const, member: null, from: baselineFrom, faultAt: baselineFrom },
      ...times.map((t) => ({
        fault: t.fault,
        member: t.member,
        from: t.killedAt,
        faultAt: t.killedAt,
        t,
      })),
    ];
    boundaries.forEach((b, i) => {
      const to = boundaries[i + 1]?.from ?? end;
      const figures = windowFigures({
        from: b.from,
        to,
        faultAt: b.faultAt,
        listeners: records,
        joins: joinAttempts,
        maxGapMs: options.maxGapMs,
      });
      const t = "t" in b ? b.t : undefined;
      windows.push({
        fault: b.fault,
        member: b.member,
        windowMs: Math.round(to - b.from),
        downForMs: t ? Math.round(t.readyAt - t.killedAt) : null,
        partsLost: recording.lost.filter((p) => p.at >= b.from && p.at < to).length,
        speakerLostAfterMs: within(speaker.events.lostAt, b.from, to),
        speakerConnectedAfterMs: within(speaker.events.connectedAt, b.from, to),
        ...figures,
      });
    });
    const ok = joinAttempts.filter((j) => j.ok).length;
    const unacknowledgedOutcomes: Record<string, number> = {};
    for (const u of writeLog.unacknowledged) {
      const key = `${u.kind} ${u.outcome}`;
      unacknowledgedOutcomes[key] = (unacknowledgedOutcomes[key] ?? 0) + 1;
    }
    return {
      options,
      windows,
      listeners: {
        started: records.length,
        admitted: records.filter((r) => r.admittedAt !== null).length,
        gotMedia: records.filter((r) => r.parts.length > 0).length,
        edgeSwitches: records.reduce((sum, r) => sum + r.edgeSwitches, 0),
      },
      writes: summarizeWrites(writeLog, lostWrites, unacknowledgedOutcomes),
      recording: { ...recording, partsLost: recording.lost.length },
      speaker: speaker.events,
      joinsOverall: {
        attempted: joinAttempts.length,
        ok,
        okPercent: (100 * ok) / Math.max(1, joinAttempts.length),
      },
      durationMs: Math.round(epochMs() - started),
    };
  } finally {
    for (const stop of stops) stop.abort();
    const keep = process.env.FAILOVER_KEEP_LOGS;
    if (keep && cluster) cpSync(join(cluster.dir, "logs"), keep, { recursive: true });
    await cluster?.down();
  }
}

/** The instants in [from, to), as ms after `from`. */
function within(instants: number[], from: number, to: number): number[] {
  return instants.filter((at) => at >= from && at < to).map((at) => Math.round(at - from));
}

function summarizeWrites(
  log: WriteLog,
  lost: string[],
  unacknowledgedOutcomes: Record<string, number>,
): FailoverReport["writes"] {
  return {
    acknowledged: log.acknowledged.length,
    unacknowledged: log.unacknowledged.length,
    unacknowledgedOutcomes,
    retried503: log.retried503,
    lost,
  };
}

/** One line per window, for logs and the benchmark's summary. */
export function describeWindow(w: FaultReport): string {
  const ms = (n: number) => (Number.isFinite(n) ? `${(n / 1000).toFixed(1)}s` : "-");
  const heard = w.heardAgainMs
    ? `${ms(w.heardAgainMs.max)}${w.heardAgainMs.neverHeardAgain ? ` (+${w.heardAgainMs.neverHeardAgain} never)` : ""}`
    : "never";
  return `${w.fault}${w.member ? ` (${w.member})` : ""}: gap p50 ${ms(w.gapMs.p50)} p99 ${ms(w.gapMs.p99)} max ${ms(w.gapMs.max)}, voice silence max ${ms(w.speakerSilenceMs.max)}, joins ok ${w.joins.okPercent.toFixed(2)}% of ${w.joins.attempted}, parts lost ${w.partsLost}, speaker heard again ${heard}`;
}
