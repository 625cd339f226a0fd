/**
 * glass: glass-to-glass latency, measured with marker beeps through the real pipeline, to a
 * listener straight from the origin and through nginx edges built by `amphi edge nginx-conf`.
 *
 * A WHIP speaker (werift) sends near-silence with a 200 ms beep every 2.5 s, each beep in its
 * own tone (8 tones in turn: bench/glass/markers.ts); it goes through the server (jitter
 * buffer, mix, encode, CMAF parts, LL-HLS origin over HTTP), then:
 * - speaker -> listener, for each path (direct, and through each edge variant), at the same
 *   time on the same beeps: hls.js with the web player's live settings in Debian's Chromium
 *   plays the Space; a Web Audio AnalyserNode on the <audio> element detects each onset and
 *   the spectrum names the beep, so a latency can never be mistaken for the next beep's;
 * - every edge also serves `BENCH_GLASS_GHOSTS` background LL-HLS followers, so that the
 *   Chromium listener mostly waits on a request another listener sent to the origin, as
 *   listeners of a real edge do;
 * - speaker -> speaker: a second speaker's Chromium receives the stage over `/whep`.
 * Latency = onset heard (Chromium's Date.now()) - first frame of that beep sent (Node's wall
 * clock), one machine, one clock. Each part size (`BENCH_GLASS_PARTS`) is its own run.
 */
import { createRequire } from "node:module";
import type { EdgeNginxOptions } from "../src/edge/nginx-conf.ts";
import { startAmphiProcess } from "../test/support/amphi-process.ts";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import { launchChromium } from "../test/support/browser.ts";
import { type NginxEdge, startNginxEdge } from "../test/support/nginx-edge.ts";
import { startTonePublisher, whipHttpSignal } from "../test/support/whip-client.ts";
import { liveSyncSettings } from "../web/src/media/hls-live-sync.ts";
import { type Ghosts, startGhostFollowers } from "./glass/ghost-follower.ts";
import {
  type HeardBeep,
  identifyMarker,
  markerAt,
  matchBeeps,
  type SentBeep,
  unambiguousMs,
} from "./glass/markers.ts";
import { hlsStateOf, listenerPage, onsetsOf, SPECTRUM_FFT, speakerPage } from "./glass/pages.ts";
import type { BenchResult } from "./run.ts";
import { percentile, round, withTempDir } from "./support.ts";

const schedule = { everyFrames: 125, beepFrames: 10 }; // a 200 ms beep every 2.5 s
const beeps = Number(process.env.BENCH_BEEPS ?? 16);
const ghostsPerEdge = Number(process.env.BENCH_GLASS_GHOSTS ?? 8);
/** Runs, as PART-TARGET seconds, optionally `x` PART-HOLD-BACK in parts: `0.5x2,0.25`. */
const runSpecs = (process.env.BENCH_GLASS_PARTS ?? "0.25,0.5").split(",").map((spec) => {
  const [part, holdBack] = spec.split("x").map(Number);
  return { partSeconds: part ?? 0.5, holdBackParts: holdBack ?? 3 };
});
/** Beeps heard later than this are reported as unmatched (below the 20 s of ambiguity). */
const maxLatencyMs = 15_000;

/** One way to the listener: straight from the origin, or through an edge rendered thus. */
interface PathSpec {
  readonly edge: Partial<EdgeNginxOptions> | null;
  readonly hls: Record<string, unknown>;
  readonly about: string;
}

const player = liveSyncSettings();
const catalogue: Record<string, PathSpec> = {
  direct: { edge: null, hls: player, about: "origin, web player's hls.js settings" },
  edge: { edge: {}, hls: player, about: "edge as `amphi edge nginx-conf` renders it" },
  "edge-lock-age-15s": {
    edge: { lockAgeMs: 15_000 },
    hls: player,
    about: "edge with proxy_cache_lock_age 15 s (before)",
  },
  "edge-stall-1s": {
    edge: {},
    hls: { ...player, liveSyncOnStallIncrease: 1 },
    about: "edge, hls.js's own liveSyncOnStallIncrease (1 s) (before)",
  },
  "edge-lock-age-50ms": { edge: { lockAgeMs: 50 }, hls: player, about: "lock age 50 ms" },
  "edge-hlsjs-defaults": {
    edge: {},
    hls: { lowLatencyMode: true },
    about: "edge, hls.js defaults (lowLatencyMode only)",
  },
};
const pathNames = (
  process.env.BENCH_GLASS_PATHS ?? "direct,edge,edge-lock-age-15s,edge-stall-1s"
).split(",");
for (const name of pathNames) if (!catalogue[name]) throw new Error(`unknown glass path ${name}`);

interface Figure {
  n: number;
  p50Ms: number;
  p95Ms: number;
  unidentified: number;
  unmatched: number;
}

interface PathRun extends Figure {
  about: string;
  hlsJs: { latency: number | null; targetLatency: number | null; stalls: number };
  /** Through an edge: requests it sent to the origin per part its listeners got. */
  originRequestsPerPart?: number;
  /**
   * Through an edge: how much later its background followers got each part than followers
   * straight from the origin (ms; the edge's own delay, without the player's).
   */
  edgeDelay?: { n: number; p50Ms: number; p95Ms: number };
}

interface GlassRun {
  partSeconds: number;
  partHoldBackSeconds: number;
  beepsSent: number;
  paths: Record<string, PathRun>;
  speakerToSpeaker: Figure;
}

function figure(
  heard: { at: number; spectrum: number[] | null }[],
  sampleRate: number,
  sent: SentBeep[],
): Figure {
  const binHz = sampleRate / SPECTRUM_FFT;
  const beepsHeard: HeardBeep[] = heard.map((o) => ({
    at: o.at,
    hz: o.spectrum ? identifyMarker(o.spectrum, binHz) : null,
  }));
  const matched = matchBeeps(beepsHeard, sent, Math.min(maxLatencyMs, unambiguousMs(schedule)));
  // The first beep heard is dropped: players are still settling.
  const ms = matched.latencies.slice(1).map((l) => l.ms);
  return {
    n: ms.length,
    p50Ms: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    unidentified: matched.unidentified,
    unmatched: matched.unmatched,
  };
}

/**
 * Origin requests per part, from an edge's access log: requests that went to the origin
 * (cache status MISS/EXPIRED) for the playlist and parts, over the distinct parts served.
 */
function originRequestsPerPart(edge: NginxEdge): number {
  const text = edge.accessLog();
  let toOrigin = 0;
  const parts = new Set<string>();
  for (const line of text.split("\n")) {
    const uri = / "GET ([^ ]+) /.exec(line)?.[1];
    if (!uri?.startsWith("/hls/")) continue;
    if (/\/part-[0-9-]+\.m4s$/.test(uri)) parts.add(uri);
    if (/ (MISS|EXPIRED) /.test(line)) toOrigin++;
  }
  return parts.size === 0 ? Number.NaN : round(toOrigin / parts.size, 2);
}

/** Per part, how much later `edge` followers got it than the first direct follower. */
function edgeDelay(edge: Ghosts, direct: Ghosts): { n: number; p50Ms: number; p95Ms: number } {
  const first = new Map<string, number>();
  for (const a of direct.arrivals) first.set(a.uri, Math.min(a.at, first.get(a.uri) ?? a.at));
  const delays = edge.arrivals.flatMap((a) => {
    const at = first.get(a.uri);
    return at === undefined ? [] : [a.at - at];
  });
  return {
    n: delays.length,
    p50Ms: round(percentile(delays, 50)),
    p95Ms: round(percentile(delays, 95)),
  };
}

/** One run with LL-HLS parts of `partSeconds`: every path listens to the same beeps. */
function measure(
  hlsPath: string,
  { partSeconds, holdBackParts }: { partSeconds: number; holdBackParts: number },
): Promise<GlassRun> {
  return withTempDir(async (dataDir) => {
    const amphi = await startAmphiProcess({
      dataDir,
      env: {
        HLS_PART_SECONDS: String(partSeconds),
        HLS_PART_HOLD_BACK_PARTS: String(holdBackParts),
      },
    });
    const edges = new Map<string, NginxEdge>();
    const ghosts = new Map<string, Ghosts>();
    const browser = await launchChromium(["--autoplay-policy=no-user-gesture-required"]);
    try {
      const [host, guest] = [await signUp(amphi.url), await signUp(amphi.url)];
      const created = await api(amphi.url, "POST", "/api/spaces", {
        token: host.token,
        body: { title: "Glass", startNow: true },
      });
      const id = created.body.space.id as string;
      await api(amphi.url, "POST", `/api/spaces/${id}/participants/${host.handle}/unmute`, {
        token: host.token,
      });
      await api(amphi.url, "POST", `/api/spaces/${id}/invitations`, {
        token: host.token,
        body: { handle: guest.handle },
      });
      await api(amphi.url, "POST", `/api/spaces/${id}/invitations/me/accept`, {
        token: guest.token,
      });

      const sent: SentBeep[] = [];
      const publisher = await startTonePublisher({
        frequency: 0,
        signal: whipHttpSignal(`${amphi.url}/whip/${id}`, host.token),
        frequencyAt: (frame) => markerAt(schedule, frame).hz,
        amplitudeAt: (frame) => {
          const { hz, beep } = markerAt(schedule, frame);
          if (hz > 0 && frame % schedule.everyFrames === 0) sent.push({ beep, at: Date.now() });
          return hz > 0 ? 16_000 : 0;
        },
      });
      for (const name of pathNames) {
        const spec = catalogue[name]!;
        if (!spec.edge) continue;
        const edge = await startNginxEdge({
          originUrl: amphi.url,
          workerProcesses: "auto",
          ...spec.edge,
          logAccess: true,
        });
        edges.set(name, edge);
        ghosts.set(name, startGhostFollowers(edge.url, id, ghostsPerEdge));
      }
      // The baseline of the edges' delay: a few followers straight from the origin.
      const direct = startGhostFollowers(amphi.url, id, 2);
      ghosts.set("", direct);
      const pages = new Map<string, Awaited<ReturnType<typeof newPage>>>();
      const newPage = async () => (await browser.newContext()).newPage();
      for (const name of pathNames) {
        const page = await newPage();
        const base = edges.get(name)?.url ?? amphi.url;
        await listenerPage(page, base, id, hlsPath, catalogue[name]!.hls);
        pages.set(name, page);
      }
      const speaker = await newPage();
      await speakerPage(speaker, amphi.url, id, guest.handle);
      const until = Date.now() + beeps * 2_500 + 3_000;
      while (Date.now() < until) await new Promise((r) => setTimeout(r, 500));

      const paths: Record<string, PathRun> = {};
      for (const [name, page] of pages) {
        const { onsets, sampleRate } = await onsetsOf(page);
        const edge = edges.get(name);
        paths[name] = {
          about: catalogue[name]!.about,
          ...figure(onsets, sampleRate, sent),
          hlsJs: await hlsStateOf(page),
          ...(edge
            ? {
                originRequestsPerPart: originRequestsPerPart(edge),
                edgeDelay: edgeDelay(ghosts.get(name)!, direct),
              }
            : {}),
        };
      }
      const heardBySpeaker = await onsetsOf(speaker);
      await publisher.stop();
      return {
        partSeconds,
        partHoldBackSeconds: round(partSeconds * holdBackParts, 2),
        beepsSent: sent.length,
        paths,
        speakerToSpeaker: figure(heardBySpeaker.onsets, heardBySpeaker.sampleRate, sent),
      };
    } finally {
      await Promise.allSettled([...ghosts.values()].map((g) => g.stop()));
      await browser.close();
      await Promise.allSettled([...edges.values()].map((e) => e.stop()));
      await amphi.stop();
    }
  });
}

export async function run(): Promise<BenchResult> {
  const hlsPath = createRequire(import.meta.url).resolve("hls.js/dist/hls.min.js");
  const runs: GlassRun[] = [];
  for (const spec of runSpecs) runs.push(await measure(hlsPath, spec));
  const line = (r: GlassRun) =>
    `${r.partSeconds} s parts (hold-back ${r.partHoldBackSeconds} s): ${Object.entries(r.paths)
      .map(
        ([name, p]) =>
          `${name} p50 ${p.p50Ms} ms p95 ${p.p95Ms} (n ${p.n}${p.edgeDelay ? `, edge delay p50 ${p.edgeDelay.p50Ms} ms, ${p.originRequestsPerPart} origin req/part` : ""})`,
      )
      .join(", ")}; speaker->speaker p50 ${r.speakerToSpeaker.p50Ms} ms`;
  return {
    summary: `${runs.map(line).join(" | ")} (targets: listener through the edge p50 <= 1500, speaker <= 250)`,
    figures: {
      beepEverySeconds: (schedule.everyFrames * 20) / 1000,
      markerTones: 8,
      ghostFollowersPerEdge: ghostsPerEdge,
      runs,
      targets: { edgeListenerMedianMs: 1500, speakerToSpeakerMedianMs: 250 },
    },
  };
}
