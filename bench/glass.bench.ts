/// <reference lib="dom" />
/**
 * glass: glass-to-glass latency, measured with a marker signal through the real pipeline.
 * A WHIP speaker (werift) sends near-silence with a 1 kHz beep every 2.5 s; it goes through
 * the server (jitter buffer, mix, encode, CMAF parts, LL-HLS origin over HTTP):
 * - speaker -> listener: hls.js in low-latency mode in Debian's Chromium plays the Space; a Web
 *   Audio AnalyserNode on the <audio> element detects each beep's onset;
 * - speaker -> speaker: a second speaker's Chromium receives the stage audio over WebRTC
 *   (`/whep`) and detects the beeps the same way.
 * Latency = onset heard (Chromium's Date.now()) - first beep frame sent (Node's wall clock);
 * both run on this machine's clock. Baseline in the same run: the beep's arrival at the
 * server's WebRTC ingest (network + DTLS only).
 */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { startAmphiProcess } from "../test/support/amphi-process.ts";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import { launchChromium } from "../test/support/browser.ts";
import { startTonePublisher, whipHttpSignal } from "../test/support/whip-client.ts";
import type { BenchResult } from "./run.ts";
import { percentile, round, withTempDir } from "./support.ts";

const beepEveryFrames = 125; // 2.5 s
const beepFrames = 10; // 200 ms
const beeps = Number(process.env.BENCH_BEEPS ?? 12);

/** Installs an onset detector on a media element or stream; onsets land in window.__onsets. */
const detectorScript = `
window.__onsets = [];
window.__watch = (source) => {
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 256;
  // A MediaStreamSource plays only one of a stream's tracks: one source per slot's track.
  const nodes = source instanceof MediaStream
    ? source.getAudioTracks().map((t) => ctx.createMediaStreamSource(new MediaStream([t])))
    : [ctx.createMediaElementSource(source)];
  for (const node of nodes) node.connect(analyser);
  analyser.connect(ctx.destination);
  const buf = new Float32Array(analyser.fftSize);
  let quietSince = performance.now();
  let loud = false;
  setInterval(() => {
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const x of buf) sum += x * x;
    const rms = Math.sqrt(sum / buf.length);
    if (rms > 0.05 && !loud && performance.now() - quietSince > 800) { loud = true; window.__onsets.push(Date.now()); }
    if (rms < 0.02) { if (loud) quietSince = performance.now(); loud = false; }
  }, 2);
  return ctx.state;
};`;

function latencies(onsets: number[], beepStarts: number[]): number[] {
  const out: number[] = [];
  for (const onset of onsets) {
    const start = [...beepStarts].reverse().find((s) => s <= onset);
    if (start !== undefined && onset - start < 10_000) out.push(onset - start);
  }
  return out;
}

async function listenerPage(
  page: Page,
  base: string,
  spaceId: string,
  hlsPath: string,
): Promise<void> {
  await page.goto(`${base}/healthz`);
  await page.setContent("<audio id=a></audio>");
  await page.addScriptTag({ path: hlsPath });
  await page.addScriptTag({ content: detectorScript });
  await page.evaluate(async (src) => {
    const audio = document.getElementById("a") as HTMLAudioElement;
    const w = window as any;
    w.__watch(audio);
    const hls = new w.Hls({ lowLatencyMode: true });
    hls.loadSource(src);
    hls.attachMedia(audio);
    await new Promise((resolve) => hls.on(w.Hls.Events.MANIFEST_PARSED, resolve));
    await audio.play();
    w.__hls = hls;
  }, `/hls/${spaceId}/index.m3u8`);
}

async function speakerPage(
  page: Page,
  base: string,
  spaceId: string,
  handle: string,
): Promise<void> {
  await page.goto(`${base}/healthz`);
  await page.addScriptTag({ content: detectorScript });
  await page.evaluate(
    async ({ spaceId, handle }) => {
      const w = window as any;
      await fetch("/api/sessions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ handle, password: "correct horse battery" }),
      });
      const pc = new RTCPeerConnection();
      for (let i = 0; i < 4; i++) pc.addTransceiver("audio", { direction: "recvonly" });
      const stream = new MediaStream();
      pc.ontrack = (e) => stream.addTrack(e.track);
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`/whep/${spaceId}`, {
        method: "POST",
        headers: { "content-type": "application/sdp" },
        body: pc.localDescription?.sdp ?? "",
      });
      await pc.setRemoteDescription({ type: "answer", sdp: await res.text() });
      await new Promise((r) => setTimeout(r, 1000));
      // Chromium plays WebRTC audio into Web Audio only while an element plays the stream too.
      const el = new Audio();
      el.srcObject = stream;
      el.muted = true;
      await el.play().catch(() => {});
      w.__watch(stream);
      w.__pc = pc;
      w.__stream = stream;
      w.__whep = res.status;
    },
    { spaceId, handle },
  );
}

interface GlassRun {
  speakerToListener: { n: number; p50Ms: number; p95Ms: number };
  speakerToSpeaker: { n: number; p50Ms: number; p95Ms: number };
  hlsJsLatencySeconds: number | null;
  beepsSent: number;
}

/** One measurement with LL-HLS parts of `partSeconds`. */
function measure(hlsPath: string, partSeconds: number): Promise<GlassRun> {
  return withTempDir(async (dataDir) => {
    const amphi = await startAmphiProcess({
      dataDir,
      env: { HLS_PART_SECONDS: String(partSeconds) },
    });
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

      const beepStarts: number[] = [];
      const publisher = await startTonePublisher({
        frequency: 1000,
        signal: whipHttpSignal(`${amphi.url}/whip/${id}`, host.token),
        amplitudeAt: (frame) => {
          const inBeep = frame > 0 && frame % beepEveryFrames < beepFrames;
          if (frame > 0 && frame % beepEveryFrames === 0) beepStarts.push(Date.now());
          return inBeep ? 16_000 : 0;
        },
      });
      const listener = await (await browser.newContext()).newPage();
      const speaker = await (await browser.newContext()).newPage();
      await listenerPage(listener, amphi.url, id, hlsPath);
      await speakerPage(speaker, amphi.url, id, guest.handle);
      const until = Date.now() + beeps * 2_500 + 3_000;
      while (Date.now() < until) await new Promise((r) => setTimeout(r, 500));
      const heardByListener = (await listener.evaluate(() => (window as any).__onsets)) as number[];
      const heardBySpeaker = (await speaker.evaluate(() => (window as any).__onsets)) as number[];
      const speakerState = await speaker.evaluate(() => {
        const w = window as any;
        return {
          whep: w.__whep,
          pc: w.__pc?.connectionState,
          tracks: w.__stream?.getTracks().length,
        };
      });
      const hlsLatency = (await listener.evaluate(() => (window as any).__hls?.latency ?? null)) as
        | number
        | null;
      await publisher.stop();
      // Drop the first beep: players are still settling.
      const toListener = latencies(heardByListener, beepStarts).slice(1);
      const toSpeaker = latencies(heardBySpeaker, beepStarts).slice(1);
      const fig = (xs: number[]) => ({
        n: xs.length,
        p50Ms: round(percentile(xs, 50)),
        p95Ms: round(percentile(xs, 95)),
      });
      if (toSpeaker.length === 0)
        console.error("glass: the speaker page heard nothing", speakerState);
      return {
        beepsSent: beepStarts.length,
        speakerToListener: fig(toListener),
        speakerToSpeaker: fig(toSpeaker),
        hlsJsLatencySeconds: hlsLatency === null ? null : round(hlsLatency, 2),
      };
    } finally {
      await browser.close();
      await amphi.stop();
    }
  });
}

export async function run(): Promise<BenchResult> {
  const hlsPath = createRequire(import.meta.url).resolve("hls.js/dist/hls.min.js");
  const byPart: Record<string, GlassRun> = {};
  for (const part of [0.5, 0.25]) byPart[`${part}`] = await measure(hlsPath, part);
  const d = byPart["0.5"]!;
  const q = byPart["0.25"]!;
  return {
    summary: `speaker->listener median ${d.speakerToListener.p50Ms} ms (p95 ${d.speakerToListener.p95Ms}) with 0.5 s parts, ${q.speakerToListener.p50Ms} ms (p95 ${q.speakerToListener.p95Ms}) with 0.25 s parts (target <= 1500); speaker->speaker median ${d.speakerToSpeaker.p50Ms} ms (p95 ${d.speakerToSpeaker.p95Ms}) (target <= 250)`,
    figures: {
      byPartSeconds: byPart,
      targets: { speakerToListenerMedianMs: 1500, speakerToSpeakerMedianMs: 250 },
    },
  };
}
