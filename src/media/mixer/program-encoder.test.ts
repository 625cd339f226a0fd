import opus from "@discordjs/opus";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createOpusEncoder } from "../codec/opus-codec.ts";
import { concat, sine, toneAmplitude } from "../codec/signals.ts";
import { type EncodedAudioFrame, ProgramEncoder, startProgramFeed } from "./program-encoder.ts";
import { ProgramMixer } from "./program-mixer.ts";

const decodeAll = (frames: readonly EncodedAudioFrame[]) => {
  const decoder = new opus.OpusEncoder(48_000, 1);
  return concat(
    frames.map((f) => {
      const pcm = decoder.decode(Buffer.from(f.data));
      return new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length));
    }),
  );
};

describe("ProgramEncoder", () => {
  test("mixes, encodes once per tick and stamps 960-sample frames with running PTS", () => {
    const mixer = new ProgramMixer();
    const speaker = createOpusEncoder({ bitrate: 48_000 });
    mixer.addSpeaker("a");
    const frames: EncodedAudioFrame[] = [];
    const levels: boolean[] = [];
    const program = new ProgramEncoder({
      mixer,
      startPtsSamples: 9600,
      onFrame: (f) => frames.push(f),
      onLevels: (l) => levels.push(l.get("a")?.speaking ?? false),
    });
    for (let t = 0; t < 50; t++) {
      const pcm = sine(440, 8_000, 960, t * 960);
      mixer.pushPacket("a", { seq: t, timestamp: t * 960, payload: speaker.encode(pcm) }, t * 20);
      program.tick(t * 20);
    }
    expect(frames.map((f) => f.ptsSamples)).toEqual(frames.map((_, i) => 9600 + i * 960));
    expect(frames.every((f) => f.durationSamples === 960 && f.data.length > 0)).toBe(true);
    expect(program.ptsSamples).toBe(9600 + 50 * 960);
    expect(levels.at(-1)).toBe(true);
    const decoded = decodeAll(frames.slice(10));
    expect(toneAmplitude(decoded, 440)).toBeGreaterThan(5_000);
  });

  test("silence still yields a frame every tick at the default 32 kbps", () => {
    const frames: EncodedAudioFrame[] = [];
    const program = new ProgramEncoder({
      mixer: new ProgramMixer(),
      onFrame: (f) => frames.push(f),
    });
    for (let t = 0; t < 10; t++) program.tick(t * 20);
    expect(frames.length).toBe(10);
    expect(frames.every((f) => f.data.length < 40)).toBe(true);
  });
});

describe("startProgramFeed", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("drives the encoder from the clock: ~1 s gives 51 continuous frames", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const frames: EncodedAudioFrame[] = [];
    const feed = startProgramFeed({ mixer: new ProgramMixer(), onFrame: (f) => frames.push(f) });
    vi.advanceTimersByTime(1000);
    feed.stop();
    expect(feed.ticks).toBe(51);
    expect(frames.at(-1)?.ptsSamples).toBe(50 * 960);
    expect(feed.encoder.ptsSamples).toBe(51 * 960);
  });
});
