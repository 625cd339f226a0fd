/**
 * A cut of a recording plays from 0 for as long as the range asks, checked by ffprobe and by
 * decoding it: a 2:00-2:20 clip once probed as starting at 119.99 s and lasting 140 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  decodeToNull,
  decodeToPcm,
  encodeSineOgg,
  hasFfmpeg,
  parseOggOpus,
  probeFormat,
} from "../../../test/support/ffprobe.ts";
import { readTimescale } from "../fmp4/fragment-reader.ts";
import { initSegment } from "../fmp4/init-segment.ts";
import { mediaFragment } from "../fmp4/media-fragment.ts";
import { opusPacketSamples } from "../fmp4/opus.ts";
import { RecordingCut } from "./recording-cut.ts";

const runnable = hasFfmpeg() || process.env.CI === "true";
const PART_PACKETS = 25; // 0.5 s parts, as the packager writes them

describe.skipIf(!runnable)("cutting a recording", () => {
  let dir = "";
  let init: Uint8Array;
  /** 150 s of recording as 0.5 s parts whose tfdt counts from the live stream's start. */
  const parts: { bytes: Uint8Array; start: number }[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "amphi-cut-"));
    const ogg = parseOggOpus(encodeSineOgg(150));
    init = initSegment({ channels: 1, sampleRate: 48_000, preSkip: ogg.head.preSkip, trackId: 1 });
    let ticks = 0;
    for (let i = 0; i < ogg.packets.length; i += PART_PACKETS) {
      const samples = ogg.packets
        .slice(i, i + PART_PACKETS)
        .map((data) => ({ data, duration: opusPacketSamples(data) }));
      const bytes = mediaFragment({
        sequenceNumber: parts.length + 1,
        baseMediaDecodeTime: ticks,
        samples,
      });
      parts.push({ bytes, start: ticks / 48_000 });
      for (const s of samples) ticks += s.duration;
    }
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, range: { start: number; end: number }): string {
    const timescale = readTimescale(init);
    if (!timescale.ok) throw new Error(timescale.reason);
    const cut = new RecordingCut(range, timescale.value);
    const out = [init];
    for (const part of parts) {
      const fragment = cut.cut(part.bytes, part.start);
      if (fragment) out.push(fragment);
    }
    const path = join(dir, name);
    writeFileSync(path, Buffer.concat(out));
    return path;
  }

  test("a 2:00-2:20 clip starts at 0 and lasts 20 s", () => {
    const path = write("clip.m4a", { start: 120, end: 140 });
    const { startTime, duration } = probeFormat(path);
    expect(Math.abs(startTime)).toBeLessThan(0.01);
    expect(duration).toBeGreaterThan(19.9);
    expect(duration).toBeLessThan(20.1);
    expect(decodeToNull(path)).toMatchObject({ status: 0, stderr: "" });
    expect(decodeToPcm(path).length / 48_000).toBeCloseTo(20, 1);
  });

  test("a range cutting through parts keeps the samples inside it, to the frame", () => {
    const path = write("odd.m4a", { start: 10.27, end: 13.61 });
    const { startTime, duration } = probeFormat(path);
    expect(Math.abs(startTime)).toBeLessThan(0.01);
    expect(Math.abs(duration - 3.34)).toBeLessThan(0.041);
  });

  test("the whole recording keeps its length", () => {
    const path = write("all.m4a", { start: 0, end: Number.POSITIVE_INFINITY });
    const { startTime, duration } = probeFormat(path);
    expect(Math.abs(startTime)).toBeLessThan(0.01);
    expect(Math.abs(duration - 150)).toBeLessThan(0.05);
  });
});
