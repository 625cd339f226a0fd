/**
 * Test WebRTC clients in Node (werift):
 * - a WHIP publisher that sends a sine tone as Opus (48 kHz mono, 20 ms frames) over RTP;
 * - a slot listener that offers N recvonly audio transceivers and records what arrives.
 * Signalling is pluggable: straight into WhipIngest / SpeakerSfu, or WHIP over HTTP
 * (POST application/sdp -> 201 + Location, DELETE Location).
 * Plus analysis helpers: Opus decoding, Goertzel tone amplitude, zero-crossing frequency.
 */
import opus from "@discordjs/opus";
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from "werift";
import { sine, toneAmplitude } from "../../src/media/codec/signals.ts";
import type { SpeakerSfu } from "../../src/media/sfu/index.ts";
import {
  peerConfig,
  type WebRtcNetworkOptions,
  waitForGathering,
} from "../../src/media/whip/peer.ts";
import type { WhipIngest } from "../../src/media/whip/whip-sessions.ts";

/** The signal helpers of the media code, for the tests that use this client. */
export { sine, toneAmplitude };

const { OpusEncoder } = opus;

export const SAMPLE_RATE = 48000;
export const FRAME_SAMPLES = 960;
export const FRAME_MS = 20;

/** The server side of an offer/answer: returns the answer and how to end the session. */
export type Signal = (offerSdp: string) => Promise<SignalResult>;

export interface SignalResult {
  answerSdp: string;
  sessionId?: string;
  /** Over HTTP: the absolute URL of the session (from the Location). */
  sessionUrl?: string;
  etag?: string;
  /** Ends the session on the server (DELETE). */
  end: () => Promise<void>;
}

/** Publish straight into a WhipIngest (no HTTP); `replace` as a reconnecting speaker does. */
export function ingestSignal(
  ingest: WhipIngest,
  spaceId: string,
  speakerId: string,
  options: { replace?: boolean } = {},
): Signal {
  return async (offerSdp) => {
    const created = await ingest.createSession({ spaceId, speakerId, offerSdp, ...options });
    return {
      ...created,
      end: async () => {
        await ingest.deleteSession(created.sessionId, speakerId).catch(() => {});
      },
    };
  };
}

/** Open a listener session straight on a SpeakerSfu (no HTTP); `replace` as in ingestSignal. */
export function sfuSignal(
  sfu: SpeakerSfu,
  spaceId: string,
  speakerId: string,
  options: { replace?: boolean } = {},
): Signal {
  return async (offerSdp) => {
    const created = await sfu.createListenerSession({ spaceId, speakerId, offerSdp, ...options });
    return {
      ...created,
      end: async () => {
        await sfu.deleteListenerSession(created.sessionId, speakerId).catch(() => {});
      },
    };
  };
}

export class WhipHttpError extends Error {
  readonly status: number;
  readonly body: string;
  constructor(status: number, body: string) {
    super(`WHIP POST answered ${status}: ${body.slice(0, 200)}`);
    this.status = status;
    this.body = body;
  }
}

/** WHIP over HTTP (RFC 9725): POST the offer, expect 201 + Location; end() DELETEs it. */
export function whipHttpSignal(endpointUrl: string, token?: string): Signal {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return async (offerSdp) => {
    const response = await fetch(endpointUrl, {
      method: "POST",
      headers: { "content-type": "application/sdp", ...auth },
      body: offerSdp,
    });
    const body = await response.text();
    if (response.status !== 201) throw new WhipHttpError(response.status, body);
    const location = response.headers.get("location");
    if (!location) throw new Error("The 201 has no Location.");
    const sessionUrl = new URL(location, endpointUrl).toString();
    return {
      answerSdp: body,
      etag: response.headers.get("etag") ?? undefined,
      sessionId: sessionUrl.split("/").at(-1),
      sessionUrl,
      end: async () => {
        await fetch(sessionUrl, { method: "DELETE", headers: auth }).catch(() => {});
      },
    };
  };
}

async function negotiate(pc: RTCPeerConnection, signal: Signal): Promise<SignalResult> {
  await pc.setLocalDescription(await pc.createOffer());
  await waitForGathering(pc, 5000);
  const offer = pc.localDescription?.sdp;
  if (!offer) throw new Error("No local offer.");
  const result = await signal(offer);
  await pc.setRemoteDescription({ type: "answer", sdp: result.answerSdp });
  return result;
}

/**
 * Resolves when the server ended the connection: werift closes its DTLS transport on the
 * server's close_notify but leaves connectionState "connected", so both are watched.
 */
export async function waitForServerClose(
  pc: RTCPeerConnection,
  timeoutMs: number,
): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const transport = pc.dtlsTransports.find((t) => t.state === "closed" || t.state === "failed");
    if (transport) return `dtls ${transport.state}`;
    if (["closed", "failed", "disconnected"].includes(pc.connectionState)) {
      return `connection ${pc.connectionState}`;
    }
    if (performance.now() > deadline) throw new Error("the connection stayed open");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves when the connection reaches one of `states`; rejects after `timeoutMs`. */
export function waitForConnectionState(
  pc: RTCPeerConnection,
  states: readonly string[],
  timeoutMs: number,
): Promise<string> {
  if (states.includes(pc.connectionState)) return Promise.resolve(pc.connectionState);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unSubscribe();
      reject(new Error(`connection stayed ${pc.connectionState}, wanted ${states.join("/")}`));
    }, timeoutMs);
    const subscription = pc.connectionStateChange.subscribe((state) => {
      if (!states.includes(state)) return;
      clearTimeout(timer);
      subscription.unSubscribe();
      resolve(state);
    });
  });
}

export interface TonePublisherOptions {
  frequency: number;
  /** The tone's frequency frame by frame (e.g. one per marker beep); `frequency` otherwise. */
  frequencyAt?: (frame: number) => number;
  /** The tone's amplitude frame by frame (e.g. silence with marker beeps); `amplitude` otherwise. */
  amplitudeAt?: (frame: number) => number;
  signal: Signal;
  /** Peak amplitude (int16). Default 8000. */
  amplitude?: number;
  /**
   * Peak amplitude of white noise added to the tone. A pure tone repeats its Opus frames
   * (440 Hz repeats every 5 frames), a little noise makes every payload unique, so forwarded
   * packets can be matched to their sending time by payload. Default 24 (-50 dB).
   */
  dither?: number;
  /** First RTP sequence number (to test wraparound). Default random. */
  firstSeq?: number;
  network?: WebRtcNetworkOptions;
  connectTimeoutMs?: number;
}

export interface SentFrame {
  seq: number;
  timestamp: number;
  sentAt: number;
}

export interface TonePublisher {
  readonly pc: RTCPeerConnection;
  readonly session: SignalResult;
  /** Every frame written, in order; sentAt is performance.now() just before writeRtp. */
  readonly sent: SentFrame[];
  /** sentAt by the hex of the Opus payload (to match forwarded packets); repeated payloads left out. */
  readonly sentAtByPayload: Map<string, number>;
  /** Stops sending RTP, keeping the connection (a speaker who vanished mid-sentence). */
  pause(): void;
  resume(): void;
  /** Stops sending, ends the session on the server unless `end: false`, closes the connection. */
  stop(options?: { end?: boolean }): Promise<void>;
}

export const payloadKey = (payload: Uint8Array): string => Buffer.from(payload).toString("hex");

/** Connects a werift publisher and sends a continuous sine tone as Opus RTP every 20 ms. */
export async function startTonePublisher(options: TonePublisherOptions): Promise<TonePublisher> {
  const amplitude = options.amplitude ?? 8000;
  const pc = new RTCPeerConnection(peerConfig(options.network));
  const track = new MediaStreamTrack({ kind: "audio" });
  const transceiver = pc.addTransceiver(track, { direction: "sendonly" });
  let session: SignalResult;
  try {
    session = await negotiate(pc, options.signal);
    await waitForConnectionState(pc, ["connected"], options.connectTimeoutMs ?? 10_000);
  } catch (error) {
    await pc.close().catch(() => {});
    throw error;
  }
  const encoder = new OpusEncoder(SAMPLE_RATE, 1);
  const sent: SentFrame[] = [];
  const sentAtByPayload = new Map<string, number>();
  const duplicates = new Set<string>();
  const firstSeq = options.firstSeq ?? Math.floor(Math.random() * 0x10000);
  const firstTimestamp = Math.floor(Math.random() * 0xffffffff);
  const startedAt = performance.now();
  let frame = 0;
  let paused = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const dither = options.dither ?? 24;
  const sendFrame = (): void => {
    const level = options.amplitudeAt ? options.amplitudeAt(frame) : amplitude;
    const frequency = options.frequencyAt ? options.frequencyAt(frame) : options.frequency;
    const pcm = sine(frequency, level, FRAME_SAMPLES, frame * FRAME_SAMPLES);
    for (let i = 0; i < pcm.length; i++) {
      pcm[i] = (pcm[i] ?? 0) + Math.round((Math.random() * 2 - 1) * dither);
    }
    const payload = encoder.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    const seq = (firstSeq + frame) & 0xffff;
    const timestamp = (firstTimestamp + frame * FRAME_SAMPLES) >>> 0;
    const header = new RtpHeader({
      sequenceNumber: seq,
      timestamp,
      payloadType: transceiver.sender.codec?.payloadType ?? 111,
      ssrc: transceiver.sender.ssrc,
      marker: frame === 0,
    });
    const key = payloadKey(payload);
    const sentAt = performance.now();
    if (sentAtByPayload.has(key)) {
      sentAtByPayload.delete(key);
      duplicates.add(key);
    } else if (!duplicates.has(key)) sentAtByPayload.set(key, sentAt);
    sent.push({ seq, timestamp, sentAt });
    track.writeRtp(new RtpPacket(header, payload));
  };

  const loop = (): void => {
    if (stopped) return;
    // Time (and the tone) runs on while paused, as it would for a speaker whose network died.
    if (!paused) sendFrame();
    frame++;
    const due = startedAt + frame * FRAME_MS;
    timer = setTimeout(loop, Math.max(0, due - performance.now()));
  };
  loop();

  return {
    pc,
    session,
    sent,
    sentAtByPayload,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    stop: async ({ end = true } = {}) => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (end) await session.end();
      await pc.close().catch(() => {});
    },
  };
}

export interface ReceivedRtp {
  mid: string;
  seq: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  payload: Buffer;
  receivedAt: number;
}

export interface SlotListener {
  readonly pc: RTCPeerConnection;
  readonly session: SignalResult;
  /** The mid of each slot, in offer order. */
  readonly mids: string[];
  readonly received: ReceivedRtp[];
  stop(options?: { end?: boolean }): Promise<void>;
}

/** Connects a werift client that offers `slots` recvonly audio transceivers and records RTP. */
export async function startSlotListener(options: {
  slots: number;
  signal: Signal;
  network?: WebRtcNetworkOptions;
  connectTimeoutMs?: number;
}): Promise<SlotListener> {
  const pc = new RTCPeerConnection(peerConfig(options.network, { midExtension: true }));
  const received: ReceivedRtp[] = [];
  const transceivers = Array.from({ length: options.slots }, () =>
    pc.addTransceiver("audio", { direction: "recvonly" }),
  );
  for (const transceiver of transceivers) {
    transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => {
        received.push({
          mid: transceiver.mid ?? "?",
          seq: rtp.header.sequenceNumber,
          timestamp: rtp.header.timestamp,
          ssrc: rtp.header.ssrc,
          marker: rtp.header.marker,
          payload: Buffer.from(rtp.payload),
          receivedAt: performance.now(),
        });
      });
    });
  }
  let session: SignalResult;
  try {
    session = await negotiate(pc, options.signal);
    await waitForConnectionState(pc, ["connected"], options.connectTimeoutMs ?? 10_000);
  } catch (error) {
    await pc.close().catch(() => {});
    throw error;
  }
  return {
    pc,
    session,
    mids: transceivers.map((transceiver) => transceiver.mid ?? "?"),
    received,
    stop: async ({ end = true } = {}) => {
      if (end) await session.end();
      await pc.close().catch(() => {});
    },
  };
}

/** Decodes Opus packets (in the given order) to 48 kHz mono samples. */
export function decodeOpus(payloads: readonly Uint8Array[]): Int16Array {
  const decoder = new OpusEncoder(SAMPLE_RATE, 1);
  const chunks = payloads.map((payload) => {
    const pcm = decoder.decode(Buffer.from(payload));
    return new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
  });
  const out = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Frequency estimated from the rate of upward zero crossings. */
export function zeroCrossingFrequency(samples: ArrayLike<number>): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1] ?? 0) < 0 && (samples[i] ?? 0) >= 0) crossings++;
  }
  return (crossings * SAMPLE_RATE) / Math.max(1, samples.length);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
