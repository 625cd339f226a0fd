/**
 * livestate: the live state carried in the media (emsg cues in the LL-HLS parts), as N
 * anonymous listeners get it through a caching edge. One Amphi process, one real nginx edge
 * (`amphi edge nginx-conf`, with its access log) in front of it; the host speaks over WHIP in
 * bursts (1 s of tone, 1.5 s of silence); `BENCH_LISTENERS` (200) listeners, each from its own
 * loopback address, read the Space document, take a ticket, follow the LL-HLS through the
 * edge like hls.js and heartbeat, reading the cues of every part; half-way a guest joins the
 * stage (a document change the cues announce). A reference follower reads the same parts from
 * the origin. Figures, over the window in which every listener was following:
 * - share of listeners whose parts carried each speaking change (on and off) of the reference;
 * - delay from a change in the audio to its display: the reference parts' Opus decoded, each
 *   burst's onset found on the media timeline, against the media time of the cue that lights
 *   the ring (a player shows a cue when it plays its time), plus the player's display step
 *   (50 ms polling, counted in full); every listener's parts are checked byte-identical to
 *   the reference's, so its alignment is theirs;
 * - edge requests per listener per second for the audio vs for live state (any API request
 *   beyond the ticket, heartbeats and the first document read: should be 0), the versioned
 *   document reads a stage change costs per listener, and the origin fetches behind them.
 * Knobs: BENCH_LISTENERS (200), BENCH_SECONDS (30, the measured window), BENCH_RATE (50
 * listeners started per second), BENCH_DEBUG=1 (prints each onset, "on" change and delay).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent } from "undici";
import { followHls } from "../src/loadtest/listener/hls-follower.ts";
import { sourceAddressFor } from "../src/loadtest/source-addresses.ts";
import { readOpusConfig } from "../src/media/fmp4/fragment-reader.ts";
import { startAmphiProcess } from "../test/support/amphi-process.ts";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import { startNginxEdge } from "../test/support/nginx-edge.ts";
import { longLivedHlsPath } from "../test/support/signed-hls.ts";
import { type EdgeRequest, parseEdgeLog, type RequestKind } from "./livestate/edge-log.ts";
import { partCues, partKey, partSamples, type TimedCue } from "./livestate/part-cues.ts";
import {
  delaysTicks,
  type SpeakingChange,
  soundEdges,
  speakingChanges,
} from "./livestate/speech-timeline.ts";
import { type ListenerRecord, runStateListener } from "./livestate/state-listener.ts";
import { burstOnFrames, burstPeriodFrames } from "./livestate/tone-speaker.ts";
import type { BenchResult } from "./run.ts";
import { percentile, round, withTempDir } from "./support.ts";

const listenerCount = Number(process.env.BENCH_LISTENERS ?? 200);
const windowSeconds = Number(process.env.BENCH_SECONDS ?? 30);
const startRate = Number(process.env.BENCH_RATE ?? 50);
/** The web player's step: it shows the state at the play position every 50 ms. */
const displayStepMs = 50;
const targetDisplayMs = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ticksToMs = (ticks: number) => (ticks * 1000) / 48_000;

interface ReferencePart {
  key: string;
  body: Buffer;
}

/** "msn.part" in playback order. */
const order = (key: string) => {
  const [msn = 0, part = 0] = key.split(".").map(Number);
  return msn * 1000 + part;
};

const stats = (xs: number[]) => ({
  n: xs.length,
  p50: xs.length ? round(percentile(xs, 50)) : null,
  p95: xs.length ? round(percentile(xs, 95)) : null,
  min: xs.length ? round(Math.min(...xs)) : null,
  max: xs.length ? round(Math.max(...xs)) : null,
});

/** The host's tone over WHIP, from its own process (bench/livestate/tone-speaker.ts). */
async function startToneSpeaker(whipUrl: string, token: string): Promise<ChildProcess> {
  const script = fileURLToPath(new URL("./livestate/tone-speaker.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, whipUrl, token], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the tone speaker exited (${code})`)));
  });
  return child;
}

/** GETs of the Space document the origin answered so far (its own request metrics). */
async function originDocumentGets(originUrl: string): Promise<number> {
  const text = await (await fetch(`${originUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (
      line.startsWith("amphi_http_request_duration_seconds_count{") &&
      line.includes('route="/api/spaces/:id"') &&
      line.includes('method="GET"')
    )
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

export async function run(): Promise<BenchResult> {
  return withTempDir(async (dir) => {
    const amphi = await startAmphiProcess({ dataDir: join(dir, "amphi"), timeoutMs: 180_000 });
    const accessLog = join(dir, "edge-access.log");
    const edge = await startNginxEdge({ originUrl: amphi.url, accessLog, workerProcesses: 1 });
    const stopAll = new AbortController();
    // Every listener's requests watch this one signal.
    setMaxListeners(0, stopAll.signal);
    const agents: Agent[] = [];
    let speaker: ChildProcess | undefined;
    try {
      // Set-up talks to the origin directly: the edge's log holds the listeners' requests only.
      const [host, guest] = [await signUp(amphi.url), await signUp(amphi.url)];
      const created = await api(amphi.url, "POST", "/api/spaces", {
        token: host.token,
        body: { title: "Live state", startNow: true },
      });
      const spaceId = created.body.space.id as string;
      const unmuted = await api(
        amphi.url,
        "POST",
        `/api/spaces/${spaceId}/participants/${host.handle}/unmute`,
        { token: host.token },
      );
      if (unmuted.status !== 200) throw new Error(`unmute: ${unmuted.status}`);
      speaker = await startToneSpeaker(`${amphi.url}/whip/${spaceId}`, host.token);

      // The reference: every part, from the origin, in order.
      const init = new Uint8Array(
        await (await fetch(`${amphi.url}${longLivedHlsPath(spaceId, "init.mp4")}`)).arrayBuffer(),
      );
      const opus = readOpusConfig(init);
      if (!opus.ok) throw new Error(`init segment: ${opus.reason}`);
      const opusConfig = opus.value;
      const reference: ReferencePart[] = [];
      const referenceStop = new AbortController();
      const referenceDone = followHls({
        playlistUrl: `${amphi.url}${longLivedHlsPath(spaceId)}`,
        signal: referenceStop.signal,
        bodies: true,
        onPart: (p) => reference.push({ key: partKey(p.msn, p.part), body: p.body as Buffer }),
      });
      // The host is heard (a cue says someone speaks) before anyone joins.
      const heardBy = Date.now() + 30_000;
      const speaks = () =>
        reference.some((p) =>
          partCues(p.body).some((c) => Object.keys(c.cue.speaking ?? {}).length > 0),
        );
      while (!speaks()) {
        if (Date.now() > heardBy) throw new Error("the host's tone never showed as speaking");
        await sleep(250);
      }

      // The listeners, each from its own address, started at `startRate` a second.
      const records: Promise<ListenerRecord>[] = [];
      const started = Date.now();
      for (let i = 0; i < listenerCount; i++) {
        const due = started + (i * 1000) / startRate;
        if (due > Date.now()) await sleep(due - Date.now());
        const agent = new Agent({
          localAddress: sourceAddressFor("listener", i),
          connect: { timeout: 10_000 },
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
        agents.push(agent);
        records.push(
          runStateListener({
            edgeUrl: edge.url,
            spaceId,
            dispatcher: agent,
            signal: stopAll.signal,
          }),
        );
      }
      // Everyone plays (or 30 s have passed), then one more part so nobody is mid-join.
      const settled = Date.now();
      const live = await Promise.race([
        Promise.all(records).then(() => "ended"),
        (async () => {
          while (Date.now() - settled < 30_000) {
            const lines = readFileSync(accessLog, "utf8");
            const playing = new Set(
              [...lines.matchAll(/^(\S+) .*"GET \/hls\/\S+\/part-/gm)].map((m) => m[1]),
            );
            if (playing.size >= listenerCount) return "playing";
            await sleep(250);
          }
          return "timeout";
        })(),
      ]);
      await sleep(1000);
      const windowStart = Date.now();
      const documentGets0 = await originDocumentGets(amphi.url);
      await sleep((windowSeconds * 1000) / 2);
      // A stage change half-way: a guest is invited and joins the stage.
      const stageChangeAt = Date.now();
      await api(amphi.url, "POST", `/api/spaces/${spaceId}/invitations`, {
        token: host.token,
        body: { handle: guest.handle },
      });
      await api(amphi.url, "POST", `/api/spaces/${spaceId}/invitations/me/accept`, {
        token: guest.token,
      });
      await sleep(windowStart + windowSeconds * 1000 - Date.now());
      const windowEnd = Date.now();
      const originDocumentGetsInWindow = (await originDocumentGets(amphi.url)) - documentGets0;
      stopAll.abort();
      const done = await Promise.all(records);
      // The reference runs a little past the listeners: every part they got is in it.
      await sleep(1500);
      referenceStop.abort();
      await referenceDone;

      return analyse({
        spaceId,
        live,
        done,
        reference,
        opusConfig,
        edgeLog: readFileSync(accessLog, "utf8"),
        windowStart,
        windowEnd,
        stageChangeAt,
        originDocumentGetsInWindow,
      });
    } finally {
      stopAll.abort();
      if (speaker && speaker.exitCode === null) {
        const exited = new Promise((resolve) => speaker?.once("exit", resolve));
        speaker.kill("SIGTERM");
        await Promise.race([exited, sleep(5000)]);
        if (speaker.exitCode === null) speaker.kill("SIGKILL");
      }
      await Promise.allSettled(agents.map((a) => a.destroy()));
      await edge.stop();
      await amphi.stop();
    }
  });
}

function analyse(input: {
  spaceId: string;
  live: string;
  done: ListenerRecord[];
  reference: ReferencePart[];
  opusConfig: { preSkip: number; channels: number };
  edgeLog: string;
  windowStart: number;
  windowEnd: number;
  stageChangeAt: number;
  originDocumentGetsInWindow: number;
}): BenchResult {
  const { done, reference, windowStart, windowEnd } = input;
  const refHash = new Map<string, string>();
  const refTime = new Map<string, number>();
  const cues: (TimedCue & { part: string })[] = [];
  for (const { key, body } of reference) {
    refHash.set(key, createHashOf(body));
    refTime.set(key, partSamples(body)[0]?.decodeTime ?? 0);
    for (const cue of partCues(body)) cues.push({ ...cue, part: key });
  }

  // The window every listener followed: from the latest first part to the earliest last one.
  const playing = done.filter((r) => r.parts.size > 0);
  const firstKeys = playing.map((r) => [...r.parts.keys()][0] as string);
  const lastKeys = playing.map((r) => [...r.parts.keys()].at(-1) as string);
  const from = Math.max(...firstKeys.map(order));
  const to = Math.min(...lastKeys.map(order));
  const inWindow = (key: string) => order(key) > from && order(key) < to;

  // Every part a listener got is the reference's, byte for byte.
  let partsChecked = 0;
  let partsDiffering = 0;
  let partsNotInReference = 0;
  for (const r of playing) {
    for (const [key, hash] of r.parts) {
      const ref = refHash.get(key);
      if (ref === undefined) partsNotInReference++;
      else if (ref !== hash) partsDiffering++;
      else partsChecked++;
    }
  }

  // Speaking changes the reference carries inside the window, and who received each.
  const changes = speakingChanges(cues).filter((c) => inWindow(c.part));
  const shareOf = (c: SpeakingChange) =>
    done.filter((r) => r.parts.get(c.part) === refHash.get(c.part)).length / done.length;
  const shares = changes.map(shareOf);

  // Sound edges and the cues that show them, on the media timeline, inside the window.
  const windowParts = reference.filter((p) => inWindow(p.key));
  const edges = soundEdges(
    reference.map((p) => p.body),
    input.opusConfig,
  );
  const lo = refTime.get(windowParts[0]?.key ?? "") ?? 0;
  const hi = refTime.get(windowParts.at(-1)?.key ?? "") ?? 0;
  const within = (t: number) => t >= lo && t < hi - 48_000;
  const onsets = edges.onsets.filter(within);
  const offsets = edges.offsets.filter(within);
  const maxTicks = 1.5 * 48_000;
  const on = delaysTicks(onsets, changes, true, maxTicks);
  const off = delaysTicks(offsets, changes, false, maxTicks);
  const onMs = on.delays.map(ticksToMs);
  if (process.env.BENCH_DEBUG) {
    console.error("onsets", onsets.map((o) => `${o} (${(o / 960).toFixed(3)})`).join(" "));
    console.error(
      "on changes",
      changes
        .filter((c) => c.on)
        .map((c) => `${c.time} (${c.time / 960})`)
        .join(" "),
    );
    console.error("delays ms", onMs.join(" "));
  }
  const displayMs = onMs.map((ms) => ms + displayStepMs);
  const firstPart = partSamples(reference[0]?.body ?? new Uint8Array());
  const partMs = ticksToMs(firstPart.reduce((sum, x) => sum + x.duration, 0)) || 500;

  // Requests, from the edge's log: per listener per second inside the window.
  const { requests, unreadable } = parseEdgeLog(input.edgeLog);
  const seconds = (windowEnd - windowStart) / 1000;
  const windowed = requests.filter((q) => q.at >= windowStart && q.at < windowEnd);
  const clients = new Set(requests.map((q) => q.client)).size;
  const count = (qs: EdgeRequest[], kind: RequestKind) => qs.filter((q) => q.kind === kind).length;
  const perListenerPerSecond = (kind: RequestKind) =>
    round(count(windowed, kind) / playing.length / seconds, 3);
  const origin = (qs: EdgeRequest[], kind: RequestKind) =>
    qs.filter((q) => q.kind === kind && q.toOrigin).length;
  const versionReads = requests.filter((q) => q.kind === "documentVersion");
  // Document versions the cues announced while everyone listened: the first is the one they
  // joined with, each further one a stage change.
  const versionsAnnounced = [
    ...new Set(
      cues.filter((c) => c.cue.stage !== undefined && inWindow(c.part)).map((c) => c.cue.stage),
    ),
  ];
  const stageChanges = Math.max(0, versionsAnnounced.length - 1);
  const versionsReadPerListener = done.map((r) => r.versionsRead.length);
  const cacheStatus = (qs: EdgeRequest[]) => {
    const out: Record<string, number> = {};
    for (const q of qs) out[q.cache] = (out[q.cache] ?? 0) + 1;
    return out;
  };
  const partsPublished = windowParts.length;

  const figures = {
    settings: {
      listeners: listenerCount,
      windowSeconds,
      startRate,
      burst: { onMs: burstOnFrames * 20, offMs: (burstPeriodFrames - burstOnFrames) * 20 },
      displayStepMs,
    },
    joined: { playing: playing.length, how: input.live, edgeClients: clients },
    errors: {
      listenersWithErrors: done.filter((r) => r.errors.length > 0 || r.hlsErrors > 0).length,
      samples: done.flatMap((r) => r.errors).slice(0, 5),
      hlsErrors: done.reduce((s, r) => s + r.hlsErrors, 0),
      unreadableLogLines: unreadable,
    },
    parts: {
      referenceParts: reference.length,
      windowParts: partsPublished,
      checkedIdentical: partsChecked,
      differing: partsDiffering,
      notInReference: partsNotInReference,
    },
    speakingChanges: {
      on: changes.filter((c) => c.on).length,
      off: changes.filter((c) => !c.on).length,
      shareReceived: {
        min: shares.length ? round(Math.min(...shares), 4) : null,
        mean: shares.length ? round(shares.reduce((a, b) => a + b, 0) / shares.length, 4) : null,
      },
    },
    delayMs: {
      /** Cue time - sound onset, on the media timeline. */
      onsetToCue: stats(onMs),
      /** ... + the player's 50 ms step in full: what a listener sees at worst. */
      onsetToDisplay: stats(displayMs),
      /** Sound stops -> ring goes out (the detector's 300 ms hangover is by design). */
      offsetToCue: stats(off.delays.map(ticksToMs)),
      onsets: onsets.length,
      unmatched: {
        onsets: on.unmatchedEdges,
        onChanges: on.unmatchedChanges,
        offsets: off.unmatchedEdges,
        offChanges: off.unmatchedChanges,
      },
      /**
       * Outside what the design allows: a cue sits at the start of the 20 ms frame whose level
       * crossed the threshold, so at most one frame before the sound; later than one part means
       * the cue missed its part.
       */
      outOfBounds: onMs.filter((x) => x < -20 || x > partMs).length,
    },
    requests: {
      windowSeconds: round(seconds, 1),
      edgePerListenerPerSecond: {
        audio: perListenerPerSecond("audio"),
        liveState: perListenerPerSecond("other"),
        heartbeat: perListenerPerSecond("heartbeat"),
        ticket: perListenerPerSecond("ticket"),
        document: perListenerPerSecond("document"),
        documentVersion: perListenerPerSecond("documentVersion"),
      },
      /** Over the whole run, every listener request the edge saw. */
      liveStateRequestsTotal: count(requests, "other"),
      liveStateSamples: requests
        .filter((q) => q.kind === "other")
        .slice(0, 5)
        .map((q) => `${q.method} ${q.path}`),
      originAudioPerPart: round(origin(windowed, "audio") / Math.max(1, partsPublished), 2),
      stageChange: {
        changes: stageChanges,
        /** Edge requests for the new document per listener per stage change (target 1). */
        readsPerListenerPerChange: round(
          versionReads.length / Math.max(1, playing.length) / Math.max(1, stageChanges),
          3,
        ),
        edgeReadsPerListener: {
          p50: percentile(versionsReadPerListener, 50),
          max: Math.max(...versionsReadPerListener),
        },
        edgeReads: versionReads.length,
        /** Edge -> origin for `?v=`, as the access log shows (background revalidations are not logged). */
        originFetches: origin(requests, "documentVersion"),
        /**
         * Document GETs the origin answered in the window (its own metrics): the `?v=` fetches
         * and the edge's background revalidations of them (the listeners' first reads came before).
         */
        originDocumentGets: input.originDocumentGetsInWindow,
        cacheStatus: cacheStatus(versionReads),
        /** From the host's stage change (request sent) to the listeners' `?v=` reads, seconds. */
        secondsToReads: {
          p50: round(
            percentile(
              versionReads.map((q) => (q.at - input.stageChangeAt) / 1000),
              50,
            ),
            2,
          ),
          max: round(Math.max(...versionReads.map((q) => (q.at - input.stageChangeAt) / 1000)), 2),
        },
      },
    },
    targets: { onsetToDisplayP95Ms: targetDisplayMs, liveStateRequestsPerListener: 0 },
  };
  const d = figures.delayMs.onsetToDisplay;
  const r = figures.requests;
  const summary =
    `${playing.length}/${listenerCount} listeners via the edge; speaking changes received by ` +
    `${round((figures.speakingChanges.shareReceived.min ?? 0) * 100, 2)}% (min over ${changes.length}); ` +
    `sound -> ring p50 ${d.p50} ms, p95 ${d.p95} ms (cue ${figures.delayMs.onsetToCue.p50}/${figures.delayMs.onsetToCue.p95} + ${displayStepMs} ms step; target <= ${targetDisplayMs}); ` +
    `edge requests per listener per s: audio ${r.edgePerListenerPerSecond.audio}, live state ${r.edgePerListenerPerSecond.liveState}; ` +
    `stage changes ${r.stageChange.changes}: ${r.stageChange.readsPerListenerPerChange} document read per listener each, ${r.stageChange.originDocumentGets} document GET(s) at the origin in all; ` +
    `parts identical ${partsChecked}, differing ${partsDiffering}`;
  return { summary, figures };
}

function createHashOf(body: Uint8Array): string {
  return createHash("sha1").update(body).digest("hex");
}
