import type { SpeakerLevel } from "../mixer/program-mixer.ts";
import { encodeLiveCue, type LiveCue, loudness } from "./live-cue.ts";

export interface LiveCueWriterOptions {
  /** While someone speaks, how often (in frames) their loudness may be sent again. */
  levelEveryFrames?: number;
  /**
   * The full state goes at the first frame of a part at least this many frames after the
   * last (24 = 0.48 s: every 0.24 s part but one, every 0.5 s part).
   */
  keyEveryFrames?: number;
}

/**
 * Decides, frame by frame, what live state goes into the media at that frame's time: the
 * full state at the first frame of a part every half second or so (a player that joins, or
 * missed a part, is right again from there), and in between only what changed: who speaks (at once), their loudness
 * (every few frames), the stage version, the listener count, new reactions, the end. Pure:
 * one call per 20 ms frame, in order.
 */
export class LiveCueWriter {
  private readonly levelEvery: number;
  private readonly keyEvery: number;
  private frame = 0;
  /** Frames since the last key cue (a large number: the first part start is a key). */
  private sinceKey = Number.MAX_SAFE_INTEGER;
  private stage: string | undefined;
  private listeners: number | undefined;
  private reactions: Record<string, number> = {};
  private sent: { speaking: Record<string, number>; stage?: string; listeners?: number } = {
    speaking: {},
  };

  constructor(options: LiveCueWriterOptions = {}) {
    this.levelEvery = options.levelEveryFrames ?? 10;
    this.keyEvery = options.keyEveryFrames ?? 24;
  }

  setStage(version: string): void {
    this.stage = version;
  }

  setListeners(count: number): void {
    this.listeners = count;
  }

  addReactions(counts: Readonly<Record<string, number | undefined>>): void {
    for (const [emoji, n] of Object.entries(counts)) {
      if (n && n > 0) this.reactions[emoji] = (this.reactions[emoji] ?? 0) + n;
    }
  }

  /** The cue for this frame (`partStart`: the first of a part), or undefined: nothing new. */
  next(levels: ReadonlyMap<string, SpeakerLevel>, partStart: boolean): string | undefined {
    const key = partStart && this.sinceKey >= this.keyEvery;
    this.sinceKey = key ? 1 : this.sinceKey + 1;
    const speaking: Record<string, number> = {};
    for (const [id, level] of levels) if (level.speaking) speaking[id] = loudness(level.dbfs);
    const tick = this.frame++ % this.levelEvery === 0;
    const cue: LiveCue = { v: 1 };
    const last = this.sent;
    if (
      key ||
      changedWho(last.speaking, speaking) ||
      (tick && changedLevel(last.speaking, speaking))
    )
      cue.speaking = speaking;
    if (this.stage !== undefined && (key || this.stage !== last.stage)) cue.stage = this.stage;
    if (this.listeners !== undefined && (key || this.listeners !== last.listeners))
      cue.listeners = this.listeners;
    if (Object.keys(this.reactions).length > 0) {
      cue.reactions = this.reactions;
      this.reactions = {};
    }
    if (Object.keys(cue).length === 1) return undefined;
    this.sent = {
      speaking: cue.speaking ?? last.speaking,
      ...(this.stage !== undefined ? { stage: this.stage } : {}),
      ...(this.listeners !== undefined ? { listeners: this.listeners } : {}),
    };
    return encodeLiveCue(cue);
  }

  /** The last cue of a Space that ended: its final state, `ended`, and any last reactions. */
  end(): string {
    const cue: LiveCue = { v: 1, speaking: {}, ended: true };
    if (this.stage !== undefined) cue.stage = this.stage;
    if (this.listeners !== undefined) cue.listeners = this.listeners;
    if (Object.keys(this.reactions).length > 0) cue.reactions = this.reactions;
    this.reactions = {};
    return encodeLiveCue(cue);
  }
}

function changedWho(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length !== kb.length || kb.some((k) => !(k in a));
}

function changedLevel(a: Record<string, number>, b: Record<string, number>): boolean {
  return Object.entries(b).some(([k, v]) => a[k] !== v);
}
