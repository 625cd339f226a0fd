/// <reference lib="dom" />
/**
 * The glass benchmark's Chromium pages: a listener playing a Space with hls.js, a speaker
 * receiving the stage over `/whep`; both detect marker beeps with Web Audio and keep, for
 * each onset, the spectrum that tells which beep it is (identified in Node: markers.ts).
 */

import type { Page } from "playwright-core";
import { longLivedHlsPath } from "../../test/support/signed-hls.ts";

/** Analyser size for the spectrum: 2048 samples (~43 ms at 48 kHz), bins of ~23 Hz. */
export const SPECTRUM_FFT = 2048;

/**
 * Installs an onset detector on a media element or stream; onsets land in window.__onsets as
 * { at: Date.now() of the onset, spectrum: dB per bin 60 ms later (inside the 200 ms beep) }.
 */
const detectorScript = `
window.__onsets = [];
window.__watch = (source) => {
  const ctx = new AudioContext();
  window.__sampleRate = ctx.sampleRate;
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 256;
  const spectral = ctx.createAnalyser();
  spectral.fftSize = ${SPECTRUM_FFT};
  spectral.smoothingTimeConstant = 0;
  // A MediaStreamSource plays only one of a stream's tracks: one source per slot's track.
  const nodes = source instanceof MediaStream
    ? source.getAudioTracks().map((t) => ctx.createMediaStreamSource(new MediaStream([t])))
    : [ctx.createMediaElementSource(source)];
  for (const node of nodes) { node.connect(analyser); node.connect(spectral); }
  analyser.connect(ctx.destination);
  const buf = new Float32Array(analyser.fftSize);
  let quietSince = performance.now();
  let loud = false;
  setInterval(() => {
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const x of buf) sum += x * x;
    const rms = Math.sqrt(sum / buf.length);
    if (rms > 0.05 && !loud && performance.now() - quietSince > 800) {
      loud = true;
      const onset = { at: Date.now(), spectrum: null };
      window.__onsets.push(onset);
      setTimeout(() => {
        const bins = new Float32Array(spectral.frequencyBinCount);
        spectral.getFloatFrequencyData(bins);
        onset.spectrum = Array.from(bins, (x) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : -200));
      }, 60);
    }
    if (rms < 0.02) { if (loud) quietSince = performance.now(); loud = false; }
  }, 2);
  return ctx.state;
};`;

export interface Onset {
  at: number;
  spectrum: number[] | null;
}

export interface PageOnsets {
  onsets: Onset[];
  sampleRate: number;
}

export async function onsetsOf(page: Page): Promise<PageOnsets> {
  return page.evaluate(() => {
    const w = window as any;
    return { onsets: w.__onsets ?? [], sampleRate: w.__sampleRate ?? 48_000 };
  });
}

/** Plays the Space's signed `index.m3u8` from `base` with hls.js and the given settings. */
export async function listenerPage(
  page: Page,
  base: string,
  spaceId: string,
  hlsPath: string,
  hlsConfig: Record<string, unknown>,
): Promise<void> {
  await page.goto(`${base}/healthz`);
  await page.setContent("<audio id=a></audio>");
  await page.addScriptTag({ path: hlsPath });
  await page.addScriptTag({ content: detectorScript });
  await page.evaluate(
    async ({ src, config }) => {
      const audio = document.getElementById("a") as HTMLAudioElement;
      const w = window as any;
      w.__watch(audio);
      const hls = new w.Hls(config);
      w.__stalls = 0;
      hls.on(w.Hls.Events.ERROR, (_: unknown, data: { details: string }) => {
        if (data.details === "bufferStalledError") w.__stalls++;
      });
      hls.loadSource(src);
      hls.attachMedia(audio);
      await new Promise((resolve) => hls.on(w.Hls.Events.MANIFEST_PARSED, resolve));
      await audio.play();
      w.__hls = hls;
    },
    { src: longLivedHlsPath(spaceId), config: hlsConfig },
  );
}

/** What hls.js says of itself at the end: its latency, its target, buffer stalls. */
export async function hlsStateOf(
  page: Page,
): Promise<{ latency: number | null; targetLatency: number | null; stalls: number }> {
  return page.evaluate(() => {
    const w = window as any;
    const latency = w.__hls?.latency;
    const target = w.__hls?.targetLatency;
    return {
      latency: Number.isFinite(latency) ? (latency as number) : null,
      targetLatency: Number.isFinite(target) ? (target as number) : null,
      stalls: w.__stalls ?? 0,
    };
  });
}

/** A second speaker's page: signs in, receives the stage over `/whep`, detects beeps. */
export async function speakerPage(
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
