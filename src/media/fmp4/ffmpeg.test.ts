/**
 * FFmpeg reads what this module writes: real libopus packets, muxed here into an init segment
 * and 0.5 s fragments, must probe as one mono 48 kHz Opus stream with every packet in place,
 * 20 ms apart, and decode without a single complaint to the same sound as the Ogg original.
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
  type OggOpus,
  parseOggOpus,
  probe,
} from "../../../test/support/ffprobe.ts";
import { initSegment } from "./init-segment.ts";
import { mediaFragment } from "./media-fragment.ts";
import { opusPacketSamples } from "./opus.ts";

// Skipped only off CI when ffmpeg is missing; `npm test` installs it first.
const runnable = hasFfmpeg() || process.env.CI === "true";
const PACKETS_PER_PART = 25; // 25 x 20 ms = 0.5 s parts

/** Muxes Ogg Opus packets into init + fragments, `perFragment` packets each. */
function mux(ogg: OggOpus, perFragment: number): { init: Uint8Array; fragments: Uint8Array[] } {
  const init = initSegment({
    channels: ogg.head.channels,
    sampleRate: ogg.head.inputSampleRate,
    preSkip: ogg.head.preSkip,
    trackId: 1,
  });
  const fragments: Uint8Array[] = [];
  let decodeTime = 0;
  for (let start = 0; start < ogg.packets.length; start += perFragment) {
    const samples = ogg.packets
      .slice(start, start + perFragment)
      .map((data) => ({ data, duration: opusPacketSamples(data) }));
    fragments.push(
      mediaFragment({
        sequenceNumber: fragments.length + 1,
        baseMediaDecodeTime: decodeTime,
        samples,
      }),
    );
    decodeTime += samples.reduce((sum, sample) => sum + sample.duration, 0);
  }
  return { init, fragments };
}

describe.skipIf(!runnable)("fMP4 read back by ffprobe and ffmpeg", () => {
  let dir = "";
  let ogg: OggOpus;
  let mp4Path = "";
  let oggPath = "";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "amphi-fmp4-"));
    const file = encodeSineOgg(2);
    oggPath = join(dir, "source.ogg");
    writeFileSync(oggPath, file);
    ogg = parseOggOpus(file);
    const { init, fragments } = mux(ogg, PACKETS_PER_PART);
    mp4Path = join(dir, "live.mp4");
    writeFileSync(mp4Path, Buffer.concat([init, ...fragments]));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("the encoder gave 20 ms mono packets to work with", () => {
    expect(ogg.head.channels).toBe(1);
    expect(ogg.packets.length).toBeGreaterThanOrEqual(100);
    for (const packet of ogg.packets) expect(opusPacketSamples(packet)).toBe(960);
  });

  test("one Opus stream, mono, 48 kHz", () => {
    const { streams } = probe(mp4Path);
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({
      codec_type: "audio",
      codec_name: "opus",
      sample_rate: "48000",
      channels: 1,
      time_base: "1/48000",
    });
  });

  test("every packet, in order, with its size, 20 ms apart, starting after pre-skip", () => {
    const { packets } = probe(mp4Path);
    expect(packets).toHaveLength(ogg.packets.length);
    expect(packets.map((packet) => packet.size)).toEqual(ogg.packets.map((p) => p.byteLength));
    // The edit list moves the priming samples before zero, as Ogg's pre-skip does.
    expect(packets[0]?.pts).toBe(-ogg.head.preSkip);
    for (let i = 1; i < packets.length; i++) {
      expect(packets[i]!.pts - packets[i - 1]!.pts).toBe(960);
    }
    for (const packet of packets) expect(packet.flags).toContain("K");
  });

  test("decodes to PCM with exit code 0 and nothing on stderr", () => {
    const { status, stderr } = decodeToNull(mp4Path);
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  test("a listener joining at a later part starts at that part's decode time", () => {
    const { init, fragments } = mux(ogg, PACKETS_PER_PART);
    const joinPath = join(dir, "join.mp4");
    writeFileSync(joinPath, Buffer.concat([init, ...fragments.slice(2)]));
    const { packets } = probe(joinPath);
    expect(packets).toHaveLength(ogg.packets.length - 2 * PACKETS_PER_PART);
    expect(packets[0]?.pts).toBe(2 * PACKETS_PER_PART * 960 - ogg.head.preSkip);
    expect(decodeToNull(joinPath)).toMatchObject({ status: 0, stderr: "" });
  });

  test("one-packet fragments (the smallest parts) read the same", () => {
    const { init, fragments } = mux(ogg, 1);
    const tinyPath = join(dir, "tiny.mp4");
    writeFileSync(tinyPath, Buffer.concat([init, ...fragments]));
    const { packets } = probe(tinyPath);
    expect(packets.map((packet) => packet.pts)).toEqual(
      ogg.packets.map((_, i) => i * 960 - ogg.head.preSkip),
    );
    expect(decodeToNull(tinyPath)).toMatchObject({ status: 0, stderr: "" });
  });

  test("decodes to the same sound as the Ogg Opus it came from", () => {
    const fromMp4 = decodeToPcm(mp4Path);
    const fromOgg = decodeToPcm(oggPath);
    // Ogg also trims the encoder's padding at the end (its last granule); the fMP4 of a live
    // stream cannot know where it ends, so it may run up to one packet longer.
    expect(fromMp4.length - fromOgg.length).toBeGreaterThanOrEqual(0);
    expect(fromMp4.length - fromOgg.length).toBeLessThan(960);
    let maxDifference = 0;
    for (let i = 0; i < fromOgg.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs(fromOgg[i]! - fromMp4[i]!));
    }
    expect(maxDifference).toBe(0);
  });
});
