/**
 * Chromium interop of the WebRTC ingest and the speaker SFU (no HTTP): a real browser publishes
 * its (fake) microphone, playing a 440 Hz WAV, into WhipIngest, listens to another speaker
 * through a SpeakerSfu listener session, and notices at once when the server ends its session.
 * Skipped when Debian's Chromium is not installed.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpeakerSfu } from "../../src/media/sfu/index.ts";
import { WhipIngest, type WhipRtpPacket } from "../../src/media/whip/index.ts";
import { chromiumPath, launchChromium } from "../support/browser.ts";
import {
  decodeOpus,
  ingestSignal,
  SAMPLE_RATE,
  sine,
  startTonePublisher,
  type TonePublisher,
  toneAmplitude,
} from "../support/whip-client.ts";

const SPACE = "space-chromium";

/** A 48 kHz mono 16-bit WAV of `seconds` of a sine. */
function sineWav(frequency: number, seconds: number): Buffer {
  const pcm = sine(frequency, 12_000, SAMPLE_RATE * seconds);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + pcm.byteLength, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(pcm.byteLength, 40);
  return Buffer.concat([header, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}

// Runs in the page (plain JavaScript: this project's TypeScript has no DOM types).
const pageScript = `
  const gathered = async (pc) => {
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === "complete") resolve();
      pc.addEventListener("icegatheringstatechange", () => {
        if (pc.iceGatheringState === "complete") resolve();
      });
      setTimeout(resolve, 3000);
    });
    return pc.localDescription.sdp;
  };
  window.startPublisher = async () => {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    const pc = new RTCPeerConnection();
    window.publisher = pc;
    pc.addTransceiver(stream.getAudioTracks()[0], { direction: "sendonly", streams: [stream] });
    return gathered(pc);
  };
  window.startListener = async (slots) => {
    const pc = new RTCPeerConnection();
    window.listener = pc;
    for (let i = 0; i < slots; i++) pc.addTransceiver("audio", { direction: "recvonly" });
    return gathered(pc);
  };
  window.answer = (which, sdp) => window[which].setRemoteDescription({ type: "answer", sdp });
  window.connectionState = (which) => window[which].connectionState;
  window.dtlsState = (which) => window[which].getSenders()[0]?.transport?.state ?? "none";
  window.inbound = async () => {
    const out = [];
    (await window.listener.getStats()).forEach((stat) => {
      if (stat.type === "inbound-rtp") out.push({ mid: stat.mid, packets: stat.packetsReceived });
    });
    return out;
  };
`;

describe.skipIf(!existsSync(chromiumPath))("Chromium as a WHIP publisher and SFU listener", () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const packets: WhipRtpPacket[] = [];
  const states: string[] = [];
  const sfu = new SpeakerSfu();
  const ingest = new WhipIngest({
    onRtp: (spaceId, speakerId, packet) => {
      if (speakerId === "chrome") packets.push(packet);
      sfu.forward(spaceId, speakerId, packet);
    },
    onSpeakerState: (spaceId, speakerId, state) => {
      if (speakerId === "chrome") states.push(state);
      sfu.speakerState(spaceId, speakerId, state);
    },
  });
  let bob: TonePublisher | undefined;
  /** Calls one of pageScript's functions in the page. */
  const call = <T>(fn: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(({ fn, args }) => (globalThis as any)[fn](...args), { fn, args }) as Promise<T>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "amphi-whip-chromium-"));
    const wav = join(dir, "tone.wav");
    await writeFile(wav, sineWav(440, 5));
    // getUserMedia wants a secure context: http://localhost is one.
    server = createServer((_request, response) => {
      response.setHeader("content-type", "text/html");
      response.end("<!doctype html><title>whip</title>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    browser = await launchChromium([
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-audio-capture=${wav}`,
    ]);
    const context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`http://localhost:${(server.address() as AddressInfo).port}/`);
    await page.addScriptTag({ content: pageScript });
  });

  afterAll(async () => {
    await bob?.stop({ end: false });
    await ingest.close();
    await sfu.close();
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("publishes the browser's microphone: Opus at the sink, decoding to its 440 Hz", async () => {
    const offer = await call<string>("startPublisher");
    const { answerSdp } = await ingest.createSession({
      spaceId: SPACE,
      speakerId: "chrome",
      offerSdp: offer,
    });
    await call("answer", "publisher", answerSdp);
    await expect.poll(() => packets.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(150);
    expect(states[0]).toBe("connected");
    // Skip the start (the fake capture and the encoder settle), decode 2 s.
    const pcm = decodeOpus(packets.slice(50, 150).map((p) => p.payload));
    expect(toneAmplitude(pcm, 440)).toBeGreaterThan(3000);
    expect(toneAmplitude(pcm, 880)).toBeLessThan(300);
  });

  it("hears another speaker in the slot the SFU names, and nothing in the others", async () => {
    const offer = await call<string>("startListener", 3);
    const created = await sfu.createListenerSession({
      spaceId: SPACE,
      speakerId: "chrome",
      offerSdp: offer,
    });
    await call("answer", "listener", created.answerSdp);
    await expect
      .poll(() => call<string>("connectionState", "listener"), {
        timeout: 10_000,
      })
      .toBe("connected");
    bob = await startTonePublisher({ frequency: 880, signal: ingestSignal(ingest, SPACE, "bob") });
    await expect
      .poll(() => sfu.slots(SPACE, "chrome")?.some((s) => s.speakerId === "bob"), { timeout: 5000 })
      .toBe(true);
    const slot = sfu.slots(SPACE, "chrome")?.find((s) => s.speakerId === "bob");
    await expect
      .poll(
        async () => {
          const inbound: Array<{ mid: string; packets: number }> = await call("inbound");
          return inbound.find((s) => s.mid === slot?.mid)?.packets ?? 0;
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThan(50);
    const inbound: Array<{ mid: string; packets: number }> = await call("inbound");
    expect(inbound.filter((s) => s.mid !== slot?.mid && s.packets > 0)).toEqual([]);
  });

  it("closes the browser's DTLS transport at once when the server ends its session", async () => {
    const started = performance.now();
    expect(await ingest.closeSpeaker(SPACE, "chrome")).toBe(true);
    await expect
      .poll(() => call<string>("dtlsState", "publisher"), { timeout: 5000 })
      .toBe("closed");
    const ms = (performance.now() - started).toFixed(0);
    // By the spec a closed DTLS transport leaves connectionState "connected"; it goes
    // "disconnected" when ICE times out (~7.5 s here) and "failed" when consent expires (30 s).
    const connection = await call<string>("connectionState", "publisher");
    console.log(
      `Chromium's DTLS transport went "closed" ${ms} ms after closeSpeaker (connectionState "${connection}")`,
    );
    expect(states.at(-1)).toBe("disconnected");
  });
});
