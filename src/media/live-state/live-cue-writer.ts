import type { SpeakerLevel } from "../mixer/program-mixer.ts";
import { encodeLiveCue, type LiveCue, loudness } from "./live-cue.ts";

export interface LiveCueWriterOptions {
  /** While someone speaks, how often (in frames) their loudness may be sent again. */
  levelEveryFrames?: number;
}

/**
 * Decides, frame by frame, what live state goes into the media at that frame's time: the
 * full state at the first frame of each part (a player that joins, or missed a part, is right
 * again from there), and in between only what changed: who speaks (at once), their loudness
 * (every few frames), the stage version, the listener count, new reactions, the end. Pure:
 * one call per 20 ms frame, in order.
 */
export class LiveCueWriter {
  private readonly levelEvery: number;
  private frame = 0;
  private stage: string | undefined;
  private listeners: number | undefined;
  private reactions: Record<string, number> = {};
  private sent: { speaking: Record<string, number>; stage?: string; listeners?: number } = {
    speaking: {},
  };

  constructor(options: LiveCueWriterOptions = {}) {
    this.levelEvery = options.levelEveryFrames ?? 10;
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

  /** The cue for this frame, or undefined when nothing needs saying. */
  next(levels: ReadonlyMap<string, SpeakerLevel>, partStart: boolean): string | undefined {
    const speaking: Record<string, number> = {};
    for (const [id, level] of levels) if (level.speaking) speaking[id] = loudness(level.dbfs);
    const tick = this.frame++ % this.levelEvery === 0;
    const cue: LiveCue = { v: 1 };
    const last = this.sent;
    if (
      partStart ||
      changedWho(last.speaking, speaking) ||
      (tick && changedLevel(last.speaking, speaking))
    )
      cue.speaking = speaking;
    if (this.stage !== undefined && (partStart || this.stage !== last.stage))
      cue.stage = this.stage;
    if (this.listeners !== undefined && (partStart || this.listeners !== last.listeners))
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
