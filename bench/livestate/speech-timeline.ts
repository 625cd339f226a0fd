/**
 * When the sound starts and stops in a stream, and when its cues say someone speaks: both on
 * the media timeline (48 kHz ticks), so that a player, which shows a cue when it plays the
 * cue's time, lights the ring (cue - onset) after the sound, plus its own display step.
 */
import opus from "@discordjs/opus";
import { partSamples, type TimedCue } from "./part-cues.ts";

const RATE = 48_000;
/** Windows of 2.5 ms: fine enough to place an onset, long enough for a 1 kHz tone's RMS. */
const WINDOW = 120;
/** Loud above −40 dBFS, quiet below −50 dBFS (the publisher's tone is about −15 dBFS). */
const LOUD = 32768 * 10 ** (-40 / 20);
const QUIET = 32768 * 10 ** (-50 / 20);
/** A sound starts after at least this much quiet, and stops once quiet lasts this long. */
const GAP_TICKS = 0.3 * RATE;

export interface SoundEdges {
  /** Media times (presentation, pre-skip removed) at which a sound began. */
  onsets: number[];
  /** ... and at which it stopped (the end of its last loud window). */
  offsets: number[];
  /** First and last media time decoded. */
  from: number;
  to: number;
}

/**
 * Decodes consecutive parts (in order; a gap restarts the decoder) and finds the sound's
 * edges. A decoded sample at decode time `k` is the program's sample `k - preSkip` (the Opus
 * encoder's look-ahead, which the init segment's edit list removes for players).
 */
export function soundEdges(
  parts: readonly Uint8Array[],
  opusConfig: { preSkip: number; channels: number },
): SoundEdges {
  let decoder = new opus.OpusEncoder(RATE, opusConfig.channels);
  const onsets: number[] = [];
  const offsets: number[] = [];
  let expected: number | null = null;
  let from: number | null = null;
  let to = 0;
  let loud = false;
  let lastLoudEnd = Number.NEGATIVE_INFINITY;
  let quietSince = Number.NEGATIVE_INFINITY;
  let carry: number[] = [];
  let carryAt = 0;
  for (const part of parts) {
    for (const sample of partSamples(part)) {
      if (expected !== null && sample.decodeTime !== expected) {
        decoder = new opus.OpusEncoder(RATE, opusConfig.channels);
        carry = [];
        loud = false;
        quietSince = Number.NEGATIVE_INFINITY;
      }
      expected = sample.decodeTime + sample.duration;
      const pcm = decoder.decode(Buffer.from(sample.data));
      const values = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
      if (carry.length === 0) carryAt = sample.decodeTime - opusConfig.preSkip;
      for (let i = 0; i < values.length; i += opusConfig.channels) carry.push(values[i] ?? 0);
      from ??= carryAt;
      while (carry.length >= WINDOW) {
        let sum = 0;
        for (let i = 0; i < WINDOW; i++) sum += (carry[i] ?? 0) ** 2;
        const rms = Math.sqrt(sum / WINDOW);
        const start = carryAt;
        const end = carryAt + WINDOW;
        if (rms >= LOUD) {
          if (!loud && start - lastLoudEnd >= GAP_TICKS && quietSince > Number.NEGATIVE_INFINITY)
            onsets.push(start);
          loud = true;
          lastLoudEnd = end;
        } else if (rms < QUIET) {
          if (quietSince === Number.NEGATIVE_INFINITY) quietSince = start;
          if (loud && start - lastLoudEnd >= GAP_TICKS) {
            offsets.push(lastLoudEnd);
            loud = false;
          }
        }
        carry = carry.slice(WINDOW);
        carryAt = end;
      }
      to = carryAt;
    }
  }
  return { onsets, offsets, from: from ?? 0, to };
}

export interface SpeakingChange {
  time: number;
  /** Someone speaks from here (true) or nobody does any more (false). */
  on: boolean;
  /** The part that carries the cue: "msn.part". */
  part: string;
}

/** Where the set of people speaking changes from nobody to someone, or back, by cue. */
export function speakingChanges(cues: readonly (TimedCue & { part: string })[]): SpeakingChange[] {
  const out: SpeakingChange[] = [];
  let speaking: boolean | null = null;
  for (const { time, cue, part } of cues) {
    if (!cue.speaking) continue;
    const now = Object.keys(cue.speaking).length > 0;
    if (speaking !== null && now !== speaking) out.push({ time, on: now, part });
    speaking = now;
  }
  return out;
}

/**
 * Each sound edge's delay to the cue that shows it: the first change of the same direction
 * at or after it, within `maxTicks`. A change without a sound edge before it shows as a
 * negative delay (the nearest edge after it): a measurement bug, or a ring lit by nothing.
 */
export function delaysTicks(
  edges: readonly number[],
  changes: readonly SpeakingChange[],
  on: boolean,
  maxTicks: number,
): { delays: number[]; unmatchedEdges: number; unmatchedChanges: number } {
  const mine = changes.filter((c) => c.on === on).map((c) => c.time);
  const delays: number[] = [];
  const used = new Set<number>();
  let unmatchedEdges = 0;
  for (const edge of edges) {
    // A change may land a frame (960 ticks) before the edge found at 2.5 ms resolution.
    const match = mine.find((t) => t >= edge - 960 && t - edge <= maxTicks && !used.has(t));
    if (match === undefined) unmatchedEdges++;
    else {
      used.add(match);
      delays.push(match - edge);
    }
  }
  return { delays, unmatchedEdges, unmatchedChanges: mine.length - used.size };
}
