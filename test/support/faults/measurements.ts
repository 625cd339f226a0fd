/**
 * The figures of a fault window [from, to) (from the kill to the next fault, or the end):
 *
 * - audio gap of a listener: the longest wall-clock interval in the window with no new
 *   media part received (from the window's start, or a part, to the next part, or to the
 *   window's end when none came). Conservative: a player's buffer hides part of it. Counted
 *   for listeners that had received their first part before the window opened.
 * - speaker heard again: the same on audible parts only (part-audio.ts); for a listener
 *   whose longest stretch without the speaker's voice in the window is over 2 s (parts come
 *   every 0.5 s, in pairs at times: up to ~1.1 s apart with nothing wrong), the time from the
 *   kill to the audible part that ended it; 0 when the voice never stopped that long. Null for the window when no listener heard the speaker again before its end.
 * - joins: attempts sent in the window, ok = 200 or 202 (joins.ts).
 */
import type { JoinAttempt } from "./joins.ts";
import type { ListenerRecord } from "./listener.ts";

/** A stretch without the speaker's voice longer than this is an interruption. */
export const VOICE_INTERRUPTION_MS = 2_000;

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] as number };
}

/** Longest interval without an arrival in [from, to), and the arrival that ended it. */
export function longestGap(
  arrivals: readonly number[],
  from: number,
  to: number,
): { ms: number; endedAt: number | null } {
  let previous = from;
  let best = { ms: 0, endedAt: null as number | null };
  for (const at of arrivals) {
    if (at <= from) continue;
    if (at - previous > best.ms) best = { ms: at - previous, endedAt: at };
    previous = at;
    if (at >= to) return best;
  }
  if (to - previous > best.ms) best = { ms: to - previous, endedAt: null };
  return best;
}

export interface WindowFigures {
  listeners: number;
  gapMs: Spread;
  /** Listeners whose longest gap is over `maxGapMs`. */
  listenersOverGap: number;
  speakerSilenceMs: Spread;
  /** Median and max over listeners; null when nobody heard the speaker again in the window. */
  heardAgainMs: { p50: number; max: number; neverHeardAgain: number } | null;
  joins: { attempted: number; ok: number; okPercent: number; failures: Record<string, number> };
}

export function windowFigures(options: {
  from: number;
  to: number;
  /** The kill, for "heard again". */
  faultAt: number;
  listeners: readonly ListenerRecord[];
  joins: readonly JoinAttempt[];
  maxGapMs: number;
}): WindowFigures {
  const { from, to, faultAt } = options;
  const present = options.listeners.filter((l) => (l.parts[0]?.at ?? Infinity) < from);
  const gaps: number[] = [];
  const silences: number[] = [];
  const heard: number[] = [];
  let neverHeardAgain = 0;
  for (const listener of present) {
    gaps.push(
      longestGap(
        listener.parts.map((p) => p.at),
        from,
        to,
      ).ms,
    );
    const voice = listener.parts.filter((p) => p.audible).map((p) => p.at);
    const silence = longestGap(voice, from, to);
    silences.push(silence.ms);
    if (silence.ms <= VOICE_INTERRUPTION_MS) heard.push(0);
    else if (silence.endedAt === null) neverHeardAgain++;
    else heard.push(silence.endedAt - faultAt);
  }
  const attempts = options.joins.filter((j) => j.at >= from && j.at < to);
  const failures: Record<string, number> = {};
  for (const a of attempts) {
    if (!a.ok) failures[String(a.outcome)] = (failures[String(a.outcome)] ?? 0) + 1;
  }
  const ok = attempts.filter((a) => a.ok).length;
  const heardSpread = spread(heard);
  return {
    listeners: present.length,
    gapMs: spread(gaps),
    listenersOverGap: gaps.filter((g) => g > options.maxGapMs).length,
    speakerSilenceMs: spread(silences),
    heardAgainMs:
      heard.length === 0 ? null : { p50: heardSpread.p50, max: heardSpread.max, neverHeardAgain },
    joins: {
      attempted: attempts.length,
      ok,
      okPercent: attempts.length === 0 ? Number.NaN : (100 * ok) / attempts.length,
      failures,
    },
  };
}
