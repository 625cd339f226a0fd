import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { AudioFrameDecoder, AudioFrameDecoderSource } from "../codec/frame-codec.ts";
import { createOpusEncoder } from "../codec/opus-codec.ts";
import { concat, sine, toneAmplitude } from "../codec/signals.ts";
import { SILENCE_DBFS } from "./audio-level.ts";
import { type MixedFrame, ProgramMixer } from "./program-mixer.ts";

/** Payloads are raw PCM: lets tests put exact samples into the mix. */
const pcmDecoders: AudioFrameDecoderSource = {
  acquire: (): AudioFrameDecoder => ({
    decode: (packet) => new Int16Array(packet.slice().buffer, 0, 960),
    conceal: () => new Int16Array(960),
    reset: () => {},
  }),
  release: () => {},
};
const pcmPacket = (seq: number, pcm: Int16Array) => ({
  seq,
  timestamp: seq * 960,
  payload: new Uint8Array(pcm.buffer.slice(0)),
});

/** Real Opus speakers: a tone per speaker, one packet per tick. */
function opusSpeaker(frequency: number, amplitude = 8_000) {
  const encoder = createOpusEncoder({ bitrate: 48_000 });
  return (seq: number) => ({
    seq: seq & 0xffff,
    timestamp: seq * 960,
    payload: encoder.encode(sine(frequency, amplitude, 960, seq * 960)),
  });
}

describe("ProgramMixer", () => {
  test("ticks go on with nobody on stage, giving silence", () => {
    const mixer = new ProgramMixer({ decoders: pcmDecoders });
    for (let t = 0; t < 10; t++) {
      const { pcm, levels } = mixer.tick(t * 20);
      expect(pcm.length).toBe(960);
      expect(pcm.every((v) => v === 0)).toBe(true);
      expect(levels.size).toBe(0);
    }
  });

  test("two Opus speakers at 440 Hz and 880 Hz are both in the program", () => {
    const mixer = new ProgramMixer();
    const a = opusSpeaker(440);
    const b = opusSpeaker(880);
    mixer.addSpeaker("a");
    mixer.addSpeaker("b");
    const out: MixedFrame[] = [];
    for (let t = 0; t < 50; t++) {
      mixer.pushPacket("a", a(1000 + t), t * 20);
      mixer.pushPacket("b", b(65_500 + t), t * 20 + 3);
      out.push(mixer.tick(t * 20 + 10));
    }
    const program = concat(out.slice(10).map((f) => f.pcm));
    expect(toneAmplitude(program, 440)).toBeGreaterThan(6_000);
    expect(toneAmplitude(program, 880)).toBeGreaterThan(6_000);
    expect(toneAmplitude(program, 660)).toBeLessThan(300);
    const levels = out.at(-1)?.levels;
    expect(levels?.get("a")?.speaking).toBe(true);
    expect(levels?.get("b")?.dbfs).toBeGreaterThan(-20);
  });

  test("a muted speaker is silent in the mix and never speaking", () => {
    const mixer = new ProgramMixer();
    const a = opusSpeaker(440);
    const b = opusSpeaker(880);
    mixer.addSpeaker("a");
    mixer.addSpeaker("b");
    const out: MixedFrame[] = [];
    for (let t = 0; t < 40; t++) {
      if (t === 20) mixer.setMuted("b", true);
      mixer.pushPacket("a", a(t), t * 20);
      mixer.pushPacket("b", b(t), t * 20);
      out.push(mixer.tick(t * 20));
    }
    const before = concat(out.slice(8, 18).map((f) => f.pcm));
    const after = concat(out.slice(22).map((f) => f.pcm));
    expect(toneAmplitude(before, 880)).toBeGreaterThan(6_000);
    expect(toneAmplitude(after, 880)).toBeLessThan(100);
    expect(toneAmplitude(after, 440)).toBeGreaterThan(6_000);
    for (const frame of out.slice(20)) {
      expect(frame.levels.get("b")).toEqual({ dbfs: SILENCE_DBFS, speaking: false });
    }
  });

  test("a speaker who vanishes mid-stream, or is removed, stops nothing", () => {
    const mixer = new ProgramMixer();
    const a = opusSpeaker(440);
    mixer.addSpeaker("a");
    mixer.addSpeaker("quiet");
    const out: MixedFrame[] = [];
    for (let t = 0; t < 200; t++) {
      if (t < 30) mixer.pushPacket("a", a(t), t * 20);
      if (t === 100) mixer.removeSpeaker("quiet");
      out.push(mixer.tick(t * 20));
    }
    expect(out.length).toBe(200);
    expect(out.slice(60).every((f) => f.pcm.every((v) => v === 0))).toBe(true);
    expect(out.at(-1)?.levels.get("a")).toEqual({ dbfs: SILENCE_DBFS, speaking: false });
    expect(out.at(-1)?.levels.has("quiet")).toBe(false);
    expect(mixer.pushPacket("quiet", a(0), 0)).toBe(false);
  });

  test("garbage payloads and a decoder that throws give silence, not exceptions", () => {
    const errors: string[] = [];
    const throwing: AudioFrameDecoderSource = {
      acquire: () => ({
        decode: () => {
          throw new Error("boom");
        },
        conceal: () => new Int16Array(960),
        reset: () => {},
      }),
      release: () => {},
    };
    const opusMixer = new ProgramMixer();
    const bad = new ProgramMixer({ decoders: throwing, onSpeakerError: (id) => errors.push(id) });
    for (const mixer of [opusMixer, bad]) {
      mixer.addSpeaker("x");
      for (let t = 0; t < 20; t++) {
        mixer.pushPacket(
          "x",
          { seq: t, timestamp: t * 960, payload: Uint8Array.of(0xff, t) },
          t * 20,
        );
        expect(mixer.tick(t * 20).pcm.every((v) => v === 0)).toBe(true);
      }
    }
    expect(errors.length).toBeGreaterThan(0);
  });

  test("adding twice and muting unknown speakers are no-ops", () => {
    const mixer = new ProgramMixer({ decoders: pcmDecoders });
    mixer.addSpeaker("a");
    mixer.addSpeaker("a");
    mixer.setMuted("nobody", true);
    mixer.removeSpeaker("nobody");
    expect(mixer.speakerIds).toEqual(["a"]);
  });
});

describe("ProgramMixer never clips", () => {
  /** Pushes `frames[speaker][k]` for every speaker, then ticks once per frame. */
  function mixAll(frames: Int16Array[][]): Int16Array[] {
    const mixer = new ProgramMixer({ decoders: pcmDecoders });
    frames.forEach((speakerFrames, s) => {
      mixer.addSpeaker(`s${s}`);
      speakerFrames.forEach((pcm, k) => {
        mixer.pushPacket(`s${s}`, pcmPacket(k, pcm), k * 20);
      });
    });
    return (frames[0] ?? []).map((_, k) => mixer.tick(k * 20).pcm);
  }

  /**
   * 1–13 speakers, three frames each, samples within ±`limit(count)`: uniform noise, or the
   * worst case where every speaker sits at the same extreme, or loud sines.
   */
  const speakers = (limit: (count: number) => number) =>
    fc
      .record({
        count: fc.integer({ min: 1, max: 13 }),
        seed: fc.integer(),
        style: fc.constantFrom("noise", "extreme", "sine"),
      })
      .map(({ count, seed, style }) => {
        let state = seed | 1;
        const random = () => {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          return (state >>> 0) / 2 ** 32;
        };
        const peak = limit(count);
        const sample = (s: number, i: number) =>
          style === "noise"
            ? Math.floor(random() * (2 * peak + 1)) - peak
            : style === "extreme"
              ? i % 7 < 3
                ? -peak
                : peak
              : Math.round(peak * Math.sin((2 * Math.PI * (220 + 110 * s) * i) / 48_000));
        return Array.from({ length: count }, (_, s) =>
          Array.from({ length: 3 }, (_, k) =>
            Int16Array.from({ length: 960 }, (_, i) =>
              Math.max(-32768, Math.min(32767, sample(s, k * 960 + i))),
            ),
          ),
        );
      });

  const sumAt = (frames: Int16Array[][], k: number, i: number) =>
    frames.reduce((acc, f) => acc + (f[k]?.[i] ?? 0), 0);

  test("1-13 speakers at full scale: every sample in range and never wrapped", () => {
    fc.assert(
      fc.property(
        speakers(() => 32768),
        (frames) => {
          const bad: string[] = [];
          mixAll(frames).forEach((out, k) => {
            for (let i = 0; i < 960; i++) {
              const sum = sumAt(frames, k, i);
              const y = out[i] ?? 0;
              const ok =
                Math.abs(y) <= 32767 &&
                Math.abs(y) <= Math.abs(sum) &&
                (y === 0 || Math.sign(y) === Math.sign(sum));
              if (!ok) bad.push(`frame ${k} sample ${i}: sum ${sum} -> ${y}`);
            }
          });
          expect(bad).toEqual([]);
        },
      ),
    );
  });

  test("when the sum fits in range the limiter is transparent", () => {
    fc.assert(
      fc.property(
        speakers((count) => Math.floor(32767 / count)),
        (frames) => {
          const bad: string[] = [];
          mixAll(frames).forEach((out, k) => {
            for (let i = 0; i < 960; i++) {
              const sum = sumAt(frames, k, i);
              if (Math.abs((out[i] ?? 0) - sum) > 1) bad.push(`frame ${k} sample ${i}: ${sum}`);
            }
          });
          expect(bad).toEqual([]);
        },
      ),
    );
  });
});
