import opus from "@discordjs/opus";
import { describe, expect, test } from "vitest";
import { FRAME_SAMPLES } from "./frame-codec.ts";
import { createOpusDecoder, createOpusEncoder, plcToc } from "./opus-codec.ts";
import { OpusDecoderPool } from "./opus-decoder-pool.ts";
import { concat, sine, toneAmplitude } from "./signals.ts";

const rms = (pcm: Int16Array) => Math.sqrt(pcm.reduce((sum, v) => sum + v * v, 0) / pcm.length);
const zeroCrossingHz = (pcm: Int16Array) => {
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) {
    if ((pcm[i - 1] ?? 0) < 0 !== (pcm[i] ?? 0) < 0) crossings++;
  }
  return crossings / 2 / (pcm.length / 48_000);
};
const sineFrames = (hz: number, amplitude: number, count: number) =>
  Array.from({ length: count }, (_, k) => sine(hz, amplitude, FRAME_SAMPLES, k * FRAME_SAMPLES));

describe("Opus encoder/decoder round trip", () => {
  test("a 440 Hz sine comes back at 440 Hz with its energy", () => {
    const encoder = createOpusEncoder({ bitrate: 32_000, frameMs: 20 });
    const decoder = createOpusDecoder();
    const input = sineFrames(440, 10_000, 50);
    const output = input.map((frame) => decoder.decode(encoder.encode(frame)));
    for (const frame of output) expect(frame.length).toBe(FRAME_SAMPLES);
    // Skip the encoder's start-up (pre-skip and first frames).
    const steady = concat(output.slice(5));
    expect(zeroCrossingHz(steady)).toBeGreaterThan(430);
    expect(zeroCrossingHz(steady)).toBeLessThan(450);
    const inRms = rms(concat(input));
    expect(rms(steady) / inRms).toBeGreaterThan(0.8);
    expect(rms(steady) / inRms).toBeLessThan(1.25);
    expect(toneAmplitude(steady, 440)).toBeGreaterThan(8_000);
    expect(toneAmplitude(steady, 880)).toBeLessThan(500);
  });

  test("packets are small at 32 kbps and the frame length is enforced", () => {
    const encoder = createOpusEncoder();
    const packet = encoder.encode(sine(440, 10_000, FRAME_SAMPLES));
    expect(packet).toBeInstanceOf(Uint8Array);
    expect(packet.length).toBeGreaterThan(10);
    expect(packet.length).toBeLessThan(200);
    expect(() => encoder.encode(new Int16Array(100))).toThrow(RangeError);
  });

  test("corrupt or truncated packets give silence, never an exception", () => {
    const decoder = createOpusDecoder();
    const garbage = [
      Uint8Array.of(0xff, 0xff, 0xff, 1, 2, 3),
      Uint8Array.of(0x03),
      Uint8Array.of(0x0b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
    ];
    for (const packet of garbage) {
      const pcm = decoder.decode(packet);
      expect(pcm.length).toBe(FRAME_SAMPLES);
      expect(pcm.every((v) => v === 0)).toBe(true);
    }
    expect(decoder.stats.corrupt).toBe(3);
  });

  test("a stereo packet is downmixed to one mono frame", () => {
    const stereo = new opus.OpusEncoder(48_000, 2);
    const decoder = createOpusDecoder();
    let mono: Int16Array = new Int16Array();
    for (let k = 0; k < 10; k++) {
      const left = sine(440, 8_000, FRAME_SAMPLES, k * FRAME_SAMPLES);
      const interleaved = new Int16Array(FRAME_SAMPLES * 2);
      left.forEach((v, i) => {
        interleaved[2 * i] = v;
        interleaved[2 * i + 1] = v;
      });
      mono = decoder.decode(new Uint8Array(stereo.encode(Buffer.from(interleaved.buffer))));
      expect(mono.length).toBe(FRAME_SAMPLES);
    }
    expect(toneAmplitude(mono, 440)).toBeGreaterThan(5_000);
  });
});

describe("packet loss concealment", () => {
  test("nothing decoded yet: concealment is silence", () => {
    expect(
      createOpusDecoder()
        .conceal()
        .every((v) => v === 0),
    ).toBe(true);
  });

  test.each([
    ["CELT", 32_000],
    ["SILK", 8_000],
  ])("%s: one lost frame continues the tone, then fades over consecutive losses", (_, bitrate) => {
    const encoder = createOpusEncoder({ bitrate });
    const decoder = createOpusDecoder();
    const frames = sineFrames(440, 10_000, 20);
    const packets = frames.map((f) => encoder.encode(f));
    for (const packet of packets.slice(0, 10)) decoder.decode(packet);
    const concealed = [decoder.conceal(), decoder.conceal(), decoder.conceal(), decoder.conceal()];
    for (const frame of concealed) expect(frame.length).toBe(FRAME_SAMPLES);
    expect(rms(concealed[0] ?? new Int16Array())).toBeGreaterThan(2_000);
    expect(rms(concealed[3] ?? new Int16Array())).toBeLessThan(
      rms(concealed[0] ?? new Int16Array()),
    );
    expect(decoder.stats.concealed).toBe(4);
    // Recovery: decoding resumes normally.
    const after = packets.slice(14).map((p) => decoder.decode(p));
    expect(rms(after.at(-1) ?? new Int16Array())).toBeGreaterThan(5_000);
  });

  test("the PLC TOC keeps mode, bandwidth and stereo flag and asks for 20 ms", () => {
    expect(plcToc(0b01111_0_00) >> 3).toBe(15); // hybrid FB 20 ms stays
    expect(plcToc(0b01110_1_11)).toBe(0b01111_1_00); // hybrid FB 10 ms -> 20 ms, stereo kept
    expect(plcToc(0b00000_0_01) >> 3).toBe(1); // SILK NB 10 ms -> 20 ms
    expect(plcToc(0b01011_0_00) >> 3).toBe(9); // SILK WB 60 ms -> 20 ms
    expect(plcToc(0b11100_0_10) >> 3).toBe(31); // CELT FB 2.5 ms -> 20 ms
  });

  test("reset forgets history", () => {
    const encoder = createOpusEncoder();
    const decoder = createOpusDecoder();
    for (const frame of sineFrames(440, 10_000, 5)) decoder.decode(encoder.encode(frame));
    decoder.reset();
    expect(decoder.conceal().every((v) => v === 0)).toBe(true);
  });
});

describe("OpusDecoderPool", () => {
  test("reuses released decoders after resetting them, up to maxIdle", () => {
    const pool = new OpusDecoderPool({ maxIdle: 1 });
    const a = pool.acquire();
    const b = pool.acquire();
    pool.release(a);
    pool.release(a);
    pool.release(b);
    expect(pool.idle).toBe(1);
    expect(pool.acquire()).toBe(a);
    expect(pool.idle).toBe(0);
  });
});
