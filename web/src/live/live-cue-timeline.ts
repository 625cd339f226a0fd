import type { LiveCue } from "../../../src/media/live-state/live-cue.ts";

/** The live state at one moment of the media, as its cues describe it. */
export interface MediaLiveState {
  /** Stage members speaking, with their loudness (0–1). */
  speaking: Record<string, number>;
  /** The Space document's version at that moment; null before the first key cue. */
  stage: string | null;
  listeners: number | null;
  ended: boolean;
}

export const emptyMediaLiveState: MediaLiveState = {
  speaking: {},
  stage: null,
  listeners: null,
  ended: false,
};

/** How much media time of cues is kept behind the play position (seeking back in a replay). */
const keepSeconds = 120;
const maxCues = 5_000;

interface Timed {
  time: number;
  cue: LiveCue;
}

/**
 * The cues of a stream on its media timeline, so the page shows what the listener hears: the
 * state at a time is the latest value of each field at or before it, and the reactions are
 * those between two times. Cues arrive with the parts, ahead of playback, in any order
 * (a refetched part repeats its cues: the same time twice is kept once). Pure.
 */
export class LiveCueTimeline {
  private cues: Timed[] = [];

  add(time: number, cue: LiveCue): void {
    if (!Number.isFinite(time)) return;
    const { cues } = this;
    let i = cues.length;
    while (i > 0 && (cues[i - 1] as Timed).time > time) i--;
    const before = cues[i - 1];
    if (before && before.time === time && JSON.stringify(before.cue) === JSON.stringify(cue))
      return;
    cues.splice(i, 0, { time, cue });
    if (cues.length > maxCues) cues.splice(0, cues.length - maxCues);
  }

  /** The state at media time `t`. */
  stateAt(t: number): MediaLiveState {
    let speaking: Record<string, number> | undefined;
    let stage: string | undefined;
    let listeners: number | undefined;
    let ended = false;
    for (let i = this.lastIndexAt(t); i >= 0; i--) {
      const { cue } = this.cues[i] as Timed;
      speaking ??= cue.speaking;
      stage ??= cue.stage;
      listeners ??= cue.listeners;
      ended ||= cue.ended === true;
      if (speaking && stage !== undefined && listeners !== undefined) break;
    }
    return { speaking: speaking ?? {}, stage: stage ?? null, listeners: listeners ?? null, ended };
  }

  /** Reactions in (from, to], per emoji. */
  reactionsBetween(from: number, to: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { time, cue } of this.cues) {
      if (time <= from) continue;
      if (time > to) break;
      for (const [emoji, n] of Object.entries(cue.reactions ?? {}))
        out[emoji] = (out[emoji] ?? 0) + n;
    }
    return out;
  }

  /** Whether any cue is known at or before `t` (the media carries live state). */
  has(t: number): boolean {
    return this.lastIndexAt(t) >= 0;
  }

  /** Forgets cues two minutes behind `t` (every part starts with the full state again). */
  prune(t: number): void {
    const cut = this.lastIndexAt(t - keepSeconds);
    if (cut > 0) this.cues.splice(0, cut);
  }

  clear(): void {
    this.cues = [];
  }

  private lastIndexAt(t: number): number {
    let lo = 0;
    let hi = this.cues.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cues[mid] as Timed).time <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
