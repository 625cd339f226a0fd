/**
 * The live state a Space's media carries to every listener (docs/live-state.md): each cue is
 * a small JSON object in an ID3 TXXX frame ("amphi") inside an `emsg` of the CMAF part, at
 * the media time it describes, so a player shows it when it plays that moment, and an edge
 * caches it with the audio. Pure and dependency-free: the web player imports it as well.
 */

/** Version 1 of the cue. Every field is optional but `v`; a key cue (a part's first) has all. */
export interface LiveCue {
  v: 1;
  /** Who is speaking from here on, and how loud (0–1, one decimal); {} = nobody. */
  speaking?: Record<string, number>;
  /** The Space document's `version`: a player holding another one reads the document again. */
  stage?: string;
  /** Listeners now. */
  listeners?: number;
  /** Reactions that arrived since the previous cue, per emoji. */
  reactions?: Record<string, number>;
  /** The Space ended at this moment. */
  ended?: true;
}

/** The TXXX description that names Amphi's cues among other ID3 frames. */
export const LIVE_CUE_DESCRIPTION = "amphi";

export function encodeLiveCue(cue: LiveCue): string {
  return JSON.stringify(cue);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const numbersIn = (v: unknown, max: number): Record<string, number> | undefined => {
  if (!isRecord(v)) return undefined;
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v)) {
    if (typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= max) out[k] = n;
  }
  return out;
};

/**
 * A cue from its text, keeping only well-formed fields; null for anything that is not a
 * version 1 cue (other metadata in the stream, a newer format).
 */
export function decodeLiveCue(text: string): LiveCue | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(raw) || raw.v !== 1) return null;
  const cue: LiveCue = { v: 1 };
  const speaking = numbersIn(raw.speaking, 1);
  if (speaking) cue.speaking = speaking;
  if (typeof raw.stage === "string" && raw.stage.length <= 64) cue.stage = raw.stage;
  if (typeof raw.listeners === "number" && Number.isInteger(raw.listeners) && raw.listeners >= 0)
    cue.listeners = raw.listeners;
  const reactions = numbersIn(raw.reactions, 1e9);
  if (reactions) cue.reactions = reactions;
  if (raw.ended === true) cue.ended = true;
  return cue;
}

/** Speech level in dBFS -> the ring's loudness: −60 dBFS and below is 0, −10 and above 1. */
export function loudness(dbfs: number): number {
  const x = (dbfs + 60) / 50;
  return Math.round(Math.min(1, Math.max(0, x)) * 10) / 10;
}
