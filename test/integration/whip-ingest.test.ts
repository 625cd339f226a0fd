/**
 * WebRTC ingest and speaker forwarding end to end, without HTTP: werift clients in this process
 * publish Opus tones into WhipIngest, which feeds SpeakerSfu; listener clients receive the
 * other speakers in slots. Everything runs on 127.0.0.1.
 */

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RTCPeerConnection, usePCMU, useVP8 } from "werift";
import { SpeakerSfu } from "../../src/media/sfu/index.ts";
import {
  type SpeakerMediaState,
  WhipError,
  WhipIngest,
  type WhipIngestOptions,
  type WhipRtpPacket,
} from "../../src/media/whip/index.ts";
import { peerConfig, waitForGathering } from "../../src/media/whip/peer.ts";
import {
  decodeOpus,
  ingestSignal,
  median,
  payloadKey,
  percentile,
  type ReceivedRtp,
  type SlotListener,
  sfuSignal,
  startSlotListener,
  startTonePublisher,
  type TonePublisher,
  toneAmplitude,
  waitForServerClose,
  zeroCrossingFrequency,
} from "../support/whip-client.ts";

const SPACE = "space-whip";
const AMPLITUDE = 8000;

interface Harness {
  ingest: WhipIngest;
  sfu: SpeakerSfu;
  packets: Map<string, WhipRtpPacket[]>;
  states: Array<[string, SpeakerMediaState]>;
}

let harness: Harness;
const cleanups: Array<() => Promise<void>> = [];

function makeHarness(options: Partial<WhipIngestOptions> = {}): Harness {
  const packets = new Map<string, WhipRtpPacket[]>();
  const states: Array<[string, SpeakerMediaState]> = [];
  const sfu = new SpeakerSfu();
  const ingest = new WhipIngest({
    onRtp: (spaceId, speakerId, packet) => {
      const list = packets.get(speakerId) ?? [];
      list.push(packet);
      packets.set(speakerId, list);
      sfu.forward(spaceId, speakerId, packet);
    },
    onSpeakerState: (spaceId, speakerId, state) => {
      states.push([speakerId, state]);
      sfu.speakerState(spaceId, speakerId, state);
    },
    ...options,
  });
  cleanups.push(async () => {
    await ingest.close();
    await sfu.close();
  });
  return { ingest, sfu, packets, states };
}

async function publish(
  h: Harness,
  speakerId: string,
  frequency: number,
  firstSeq?: number,
  replace = false,
): Promise<TonePublisher> {
  const publisher = await startTonePublisher({
    frequency,
    amplitude: AMPLITUDE,
    signal: ingestSignal(h.ingest, SPACE, speakerId, { replace }),
    ...(firstSeq === undefined ? {} : { firstSeq }),
  });
  cleanups.unshift(() => publisher.stop({ end: false }));
  return publisher;
}

async function listen(
  h: Harness,
  speakerId: string,
  slots: number,
  replace = false,
): Promise<SlotListener> {
  const listener = await startSlotListener({
    slots,
    signal: sfuSignal(h.sfu, SPACE, speakerId, { replace }),
  });
  cleanups.unshift(() => listener.stop({ end: false }));
  return listener;
}

const packetsOf = (h: Harness, speakerId: string): WhipRtpPacket[] =>
  h.packets.get(speakerId) ?? [];

function expectTone(payloads: Uint8Array[], frequency: number, absent: number[]): void {
  // Skip the first frames: the encoder and decoder settle.
  const pcm = decodeOpus(payloads.slice(5));
  const amplitude = toneAmplitude(pcm, frequency);
  expect(amplitude).toBeGreaterThan(0.6 * AMPLITUDE);
  for (const other of absent) expect(toneAmplitude(pcm, other)).toBeLessThan(0.05 * AMPLITUDE);
  // A packet lost on a busy machine adds a phase jump, which adds or drops a crossing or two.
  expect(Math.abs(zeroCrossingFrequency(pcm) - frequency)).toBeLessThan(frequency * 0.06);
}

function delays(
  received: Array<{ payload: Uint8Array; at: number }>,
  publisher: TonePublisher,
): number[] {
  const out: number[] = [];
  for (const packet of received) {
    const sentAt = publisher.sentAtByPayload.get(payloadKey(packet.payload));
    if (sentAt !== undefined) out.push(packet.at - sentAt);
  }
  return out;
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;

beforeEach(() => {
  harness = makeHarness();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("WHIP ingest with werift publishers", () => {
  it("delivers a publisher's Opus packets to the sink, decoding to its 440 Hz tone", async () => {
    // Starts near the end of the sequence space: the stream wraps 65535 -> 0 on the way.
    const alice = await publish(harness, "alice", 440, 65_500);
    await expect
      .poll(() => packetsOf(harness, "alice").length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(100);
    const packets = packetsOf(harness, "alice").slice(0, 100);
    expectTone(
      packets.map((p) => p.payload),
      440,
      [880],
    );
    for (let i = 1; i < packets.length; i++) {
      expect(packets[i]!.seq).toBe((packets[i - 1]!.seq + 1) & 0xffff);
      expect(packets[i]!.timestamp).toBe((packets[i - 1]!.timestamp + 960) >>> 0);
    }
    expect(packets.some((p) => p.seq === 0)).toBe(true);
    expect(packets[0]).toMatchObject({ payloadType: 111, ssrc: alice.pc.getSenders()[0]!.ssrc });
    expect(harness.states).toEqual([["alice", "connected"]]);
    expect(harness.ingest.sessionOf(SPACE, "alice")).toMatchObject({ state: "connected" });

    const sentAtBySeq = new Map(alice.sent.map((frame) => [frame.seq, frame.sentAt]));
    const ingestDelays = packetsOf(harness, "alice").flatMap((p) => {
      const sentAt = sentAtBySeq.get(p.seq);
      return sentAt === undefined ? [] : [p.receivedAt - sentAt];
    });
    expect(ingestDelays.length).toBeGreaterThan(80);
    console.log(
      `WHIP ingest delay (client writeRtp -> sink onRtp), ${ingestDelays.length} packets: ` +
        `median ${ms(median(ingestDelays))}, p95 ${ms(percentile(ingestDelays, 95))}`,
    );
  });

  it("rejects offers without Opus or without audio, with the typed error", async () => {
    const offerOf = async (
      config: ConstructorParameters<typeof RTCPeerConnection>[0],
      kind: "audio" | "video",
    ) => {
      const pc = new RTCPeerConnection(config);
      pc.addTransceiver(kind, { direction: "sendonly" });
      await pc.setLocalDescription(await pc.createOffer());
      await waitForGathering(pc, 2000);
      const sdp = pc.localDescription?.sdp ?? "";
      await pc.close();
      return sdp;
    };
    const base = peerConfig();
    const pcmu = await offerOf({ ...base, codecs: { audio: [usePCMU()] } }, "audio");
    const video = await offerOf({ ...base, codecs: { video: [useVP8()] } }, "video");
    const attempt = (offerSdp: string) =>
      harness.ingest.createSession({ spaceId: SPACE, speakerId: "alice", offerSdp });
    await expect(attempt(pcmu)).rejects.toMatchObject({ code: "AMPHI_WHIP_NOT_OPUS", status: 415 });
    await expect(attempt(video)).rejects.toMatchObject({
      code: "AMPHI_WHIP_BAD_OFFER",
      status: 400,
    });
    expect(harness.ingest.sessions()).toEqual([]);
  });

  it("refuses a second session for the same speaker", async () => {
    await publish(harness, "alice", 440);
    const second = startTonePublisher({
      frequency: 440,
      signal: ingestSignal(harness.ingest, SPACE, "alice"),
    });
    await expect(second).rejects.toBeInstanceOf(WhipError);
    await expect(second).rejects.toMatchObject({ code: "AMPHI_WHIP_SESSION_EXISTS", status: 409 });
    expect(harness.ingest.sessions()).toHaveLength(1);
  });

  it("delivers no packet after deleteSession, though the client goes on sending", async () => {
    const alice = await publish(harness, "alice", 440);
    await expect
      .poll(() => packetsOf(harness, "alice").length, { timeout: 5000 })
      .toBeGreaterThan(10);
    await alice.session.end(); // deleteSession, while the client keeps writing RTP
    const count = packetsOf(harness, "alice").length;
    const sentBefore = alice.sent.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(alice.sent.length).toBeGreaterThan(sentBefore + 10);
    expect(packetsOf(harness, "alice").length).toBe(count);
    expect(harness.ingest.sessions()).toEqual([]);
    expect(harness.states).toEqual([
      ["alice", "connected"],
      ["alice", "disconnected"],
    ]);
  });

  it("closeSpeaker closes the client's connection at once (DTLS close_notify)", async () => {
    const alice = await publish(harness, "alice", 440);
    // The server (DTLS client) finishes the handshake last; wait for its side too.
    await expect
      .poll(() => harness.ingest.sessionOf(SPACE, "alice")?.state, { timeout: 3000 })
      .toBe("connected");
    const started = performance.now();
    expect(await harness.ingest.closeSpeaker(SPACE, "alice")).toBe(true);
    const state = await waitForServerClose(alice.pc, 3000);
    console.log(`client saw ${state} ${ms(performance.now() - started)} after closeSpeaker`);
    expect(harness.ingest.sessionOf(SPACE, "alice")).toBeUndefined();
    expect(harness.states.at(-1)).toEqual(["alice", "disconnected"]);
  });

  it("reports a speaker who stops sending as disconnected, keeps the session, and back", async () => {
    const h = makeHarness({ inactivityTimeoutMs: 500 });
    const alice = await publish(h, "alice", 440);
    await expect.poll(() => packetsOf(h, "alice").length, { timeout: 5000 }).toBeGreaterThan(5);
    expect(h.states[0]).toEqual(["alice", "connected"]);
    alice.pause();
    const pausedAt = performance.now();
    await expect.poll(() => h.states.at(-1)?.[1], { timeout: 3000 }).toBe("disconnected");
    expect(performance.now() - pausedAt).toBeGreaterThanOrEqual(400);
    expect(h.ingest.sessionOf(SPACE, "alice")?.state).toBe("disconnected");
    alice.resume();
    await expect.poll(() => h.states.at(-1)?.[1], { timeout: 3000 }).toBe("connected");
    expect(h.ingest.sessionOf(SPACE, "alice")?.state).toBe("connected");
  });
});

describe("speakers hear each other (SpeakerSfu)", () => {
  // Forwarding delay is logged here and measured by `npm run bench -- glass`, not asserted:
  // a timed assertion fails on a busy machine without anything being wrong.
  it("forwards B's tone into a slot of A's listener session, never A's own", async () => {
    const aliceHears = await listen(harness, "alice", 12);
    const bobHears = await listen(harness, "bob", 12);
    const alice = await publish(harness, "alice", 440);
    const bob = await publish(harness, "bob", 880);
    await expect
      .poll(() => aliceHears.received.length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(150);
    await expect
      .poll(() => bobHears.received.length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(150);

    const aliceSlots = harness.sfu.slots(SPACE, "alice") ?? [];
    const bobSlot = aliceSlots.find((slot) => slot.speakerId === "bob");
    expect(bobSlot).toBeDefined();
    expect(aliceSlots.filter((slot) => slot.speakerId !== null)).toHaveLength(1);
    expect(harness.sfu.slots(SPACE, "bob")?.filter((s) => s.speakerId !== null)).toEqual([
      expect.objectContaining({ speakerId: "alice" }),
    ]);

    // Everything alice receives is bob's, in bob's slot: 880 Hz, no trace of her 440 Hz.
    const inBobSlot = aliceHears.received.filter((p) => p.mid === bobSlot?.mid);
    expect(inBobSlot.length).toBe(aliceHears.received.length);
    expectTone(
      inBobSlot.slice(0, 150).map((p) => p.payload),
      880,
      [440],
    );
    expect(aliceHears.received.some((p) => alice.sentAtByPayload.has(payloadKey(p.payload)))).toBe(
      false,
    );
    expectTone(
      bobHears.received.slice(0, 150).map((p) => p.payload),
      440,
      [880],
    );

    const forwardDelays = delays(
      aliceHears.received.map((p) => ({ payload: p.payload, at: p.receivedAt })),
      bob,
    );
    expect(forwardDelays.length).toBeGreaterThan(100);
    console.log(
      `speaker-to-speaker forwarding delay (B writeRtp -> A's client onReceiveRtp), ` +
        `${forwardDelays.length} packets: median ${ms(median(forwardDelays))}, ` +
        `p95 ${ms(percentile(forwardDelays, 95))}, max ${ms(Math.max(...forwardDelays))}`,
    );
  });

  it("keeps a slot's stream continuous when its occupant changes", async () => {
    const aliceHears = await listen(harness, "alice", 1);
    await publish(harness, "bob", 880);
    await expect
      .poll(() => aliceHears.received.length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(30);
    expect(await harness.ingest.closeSpeaker(SPACE, "bob")).toBe(true);
    expect(harness.sfu.slots(SPACE, "alice")?.[0]?.speakerId).toBeNull();
    const bobCount = aliceHears.received.length;
    await publish(harness, "carol", 660, 12_345);
    await expect
      .poll(() => aliceHears.received.length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(bobCount + 60);
    expect(harness.sfu.slots(SPACE, "alice")?.[0]?.speakerId).toBe("carol");

    const stream: ReceivedRtp[] = aliceHears.received;
    expect(new Set(stream.map((p) => p.ssrc)).size).toBe(1);
    for (let i = 1; i < stream.length; i++) {
      expect(stream[i]!.seq).toBe((stream[i - 1]!.seq + 1) & 0xffff);
      expect((stream[i]!.timestamp - stream[i - 1]!.timestamp) >>> 0).toBeGreaterThanOrEqual(960);
    }
    expect(stream[bobCount]?.marker).toBe(true);
    expectTone(
      stream.slice(bobCount, bobCount + 60).map((p) => p.payload),
      660,
      [880],
    );
  });

  it("lets a speaker reconnect both connections: the new ones replace the old, which close", async () => {
    const oldEars = await listen(harness, "alice", 2);
    const oldVoice = await publish(harness, "alice", 440);
    const bobHears = await listen(harness, "bob", 2);
    await publish(harness, "bob", 880);
    await expect.poll(() => oldEars.received.length, { timeout: 5000 }).toBeGreaterThan(20);
    await expect
      .poll(() => harness.ingest.sessionOf(SPACE, "alice")?.state, { timeout: 3000 })
      .toBe("connected");
    await expect
      .poll(() => harness.sfu.listenerSession(oldEars.session.sessionId!)?.state, {
        timeout: 3000,
      })
      .toBe("connected");

    // As after a move to another media node: new offers for the same Space and speaker.
    const newVoice = await publish(harness, "alice", 660, undefined, true);
    const newEars = await listen(harness, "alice", 2, true);
    await waitForServerClose(oldVoice.pc, 3000);
    await waitForServerClose(oldEars.pc, 3000);
    expect(
      harness.ingest
        .sessions(SPACE)
        .map((s) => s.sessionId)
        .sort(),
    ).toEqual(
      [newVoice.session.sessionId, harness.ingest.sessionOf(SPACE, "bob")?.sessionId].sort(),
    );
    expect(harness.sfu.listenerSessions(SPACE)).toHaveLength(2);
    expect(harness.sfu.listenerSession(oldEars.session.sessionId!)).toBeUndefined();

    // Bob hears alice's new voice, alice's new connection hears bob.
    const heardBefore = bobHears.received.length;
    await expect
      .poll(() => bobHears.received.length, { timeout: 5000 })
      .toBeGreaterThan(heardBefore + 60);
    await expect.poll(() => newEars.received.length, { timeout: 5000 }).toBeGreaterThan(60);
    expectTone(
      bobHears.received.slice(-50).map((p) => p.payload),
      660,
      [440, 880],
    );
    expectTone(
      newEars.received.slice(-50).map((p) => p.payload),
      880,
      [440, 660],
    );
    expect(harness.states.filter(([who]) => who === "alice").map(([, state]) => state)).toEqual([
      "connected",
      "disconnected",
      "connected",
    ]);
  });
});
