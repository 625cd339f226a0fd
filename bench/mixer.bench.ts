/**
 * mixer: CPU of one live Space's program path (jitter buffers, Opus decode per speaker, mix,
 * limiter, one Opus encode, CMAF packaging) with 1, 4 and 13 speakers talking at once, run
 * as fast as possible over 20 s of audio. Reported as the share of one core a Space needs in
 * real time, and rooms per core. Baseline in the same run: the Opus encode alone (the fixed
 * cost every Space pays).
 */
import { createOpusEncoder } from "../src/media/codec/opus-codec.ts";
import { sine } from "../src/media/codec/signals.ts";
import { ProgramEncoder } from "../src/media/mixer/program-encoder.ts";
import { ProgramMixer } from "../src/media/mixer/program-mixer.ts";
import { HlsPackager } from "../src/media/packager/hls-packager.ts";
import type { BenchResult } from "./run.ts";
import { round } from "./support.ts";

const seconds = 20;
const frames = seconds * 50;

/** Pre-encoded speaker packets, so only the server's work is timed. */
function speakerPackets(count: number): Uint8Array[][] {
  return Array.from({ length: count }, (_, s) => {
    const encoder = createOpusEncoder({ bitrate: 32_000 });
    return Array.from({ length: frames }, (_, n) =>
      encoder.encode(sine(200 + 60 * s, 6000, 960, n * 960)),
    );
  });
}

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function runSpace(packets: Uint8Array[][]): number {
  const mixer = new ProgramMixer();
  const packager = new HlsPackager();
  const ids = packets.map((_, i) => `s${i}`);
  for (const id of ids) mixer.addSpeaker(id);
  const encoder = new ProgramEncoder({ mixer, onFrame: (f) => packager.push(f, 0) });
  return cpuMs(() => {
    for (let n = 0; n < frames; n++) {
      const now = n * 20;
      ids.forEach((id, i) => {
        mixer.pushPacket(
          id,
          { seq: n & 0xffff, timestamp: n * 960, payload: packets[i]![n]! },
          now,
        );
      });
      encoder.tick(now);
    }
  });
}

export async function run(): Promise<BenchResult> {
  const baselineEncoder = createOpusEncoder({ bitrate: 32_000 });
  const pcm = sine(300, 6000, 960);
  const encodeOnly = cpuMs(() => {
    for (let n = 0; n < frames; n++) baselineEncoder.encode(pcm);
  });
  const results: Record<
    string,
    { cpuMs: number; coreShare: number; roomsPerCore: number; overEncodeOnly: number }
  > = {};
  for (const speakers of [1, 4, 13]) {
    const packets = speakerPackets(speakers);
    runSpace(packets); // warm-up
    const samples = [runSpace(packets), runSpace(packets), runSpace(packets)].sort((a, b) => a - b);
    const ms = samples[1]!;
    const share = ms / (seconds * 1000);
    results[`${speakers}`] = {
      cpuMs: round(ms),
      coreShare: round(share * 100, 2),
      roomsPerCore: Math.floor(1 / share),
      overEncodeOnly: round(ms / encodeOnly, 2),
    };
  }
  const four = results["4"]!;
  return {
    summary: `per live Space: 1 speaker ${results["1"]!.coreShare}% of a core, 4 speakers ${four.coreShare}% (target <= 2%), 13 speakers ${results["13"]!.coreShare}%; ${four.roomsPerCore} four-speaker rooms per core; 4-speaker room = ${four.overEncodeOnly}x the bare Opus encode`,
    figures: {
      audioSeconds: seconds,
      encodeOnlyCpuMs: round(encodeOnly),
      bySpeakers: results,
      target: "4-speaker Space <= 2% of a core",
    },
  };
}
