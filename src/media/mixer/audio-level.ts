/**
 * Audio levels for "speaking" indicators: RMS in dBFS per frame (RFC 6464's range, full-scale
 * square wave = 0 dBFS, full-scale sine ≈ −3 dBFS, digital silence floored at −127), and a
 * detector that smooths them and switches with hysteresis and a hangover.
 */

/** The floor reported for silence, as in RFC 6464 (−127 dBov). */
export const SILENCE_DBFS = -127;

/** RMS level of one frame of 16-bit samples (or floats on the same scale), in dBFS. */
export function rmsDbfs(samples: ArrayLike<number>): number {
  const n = samples.length;
  if (n === 0) return SILENCE_DBFS;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = samples[i] ?? 0;
    sum += v * v;
  }
  const rms = Math.sqrt(sum / n) / 32768;
  return rms > 0 ? Math.max(SILENCE_DBFS, Math.min(0, 20 * Math.log10(rms))) : SILENCE_DBFS;
}

export interface SpeakingDetectorOptions {
  /** Smoothed level at or above which a quiet speaker starts speaking. */
  readonly onDbfs?: number;
  /** Smoothed level below which a speaking speaker may stop (after the hangover). */
  readonly offDbfs?: number;
  /** Per-frame smoothing weight of a rising level (0–1; 1 = no smoothing). */
  readonly attack?: number;
  /** Per-frame smoothing weight of a falling level. */
  readonly release?: number;
  /** How long the level must stay below `offDbfs` before speaking ends. */
  readonly hangoverMs?: number;
}

/**
 * Speaking on/off from per-frame levels. The rising level is smoothed so a single click does not
 * light the indicator (from silence, speech at −20 dBFS needs two 20 ms frames), and the
 * indicator stays on through the short pauses inside speech.
 */
export class SpeakingDetector {
  readonly #on: number;
  readonly #off: number;
  readonly #attack: number;
  readonly #release: number;
  readonly #hangoverMs: number;
  #smoothed = SILENCE_DBFS;
  #speaking = false;
  #lastLoudMs = 0;

  constructor(options: SpeakingDetectorOptions = {}) {
    this.#on = options.onDbfs ?? -45;
    this.#off = Math.min(this.#on, options.offDbfs ?? -55);
    this.#attack = options.attack ?? 0.6;
    this.#release = options.release ?? 0.15;
    this.#hangoverMs = options.hangoverMs ?? 300;
  }

  /** Feeds one frame's level; returns whether the speaker is speaking now. */
  update(dbfs: number, nowMs: number): boolean {
    const level = Number.isFinite(dbfs) ? Math.max(SILENCE_DBFS, dbfs) : SILENCE_DBFS;
    const weight = level > this.#smoothed ? this.#attack : this.#release;
    this.#smoothed += weight * (level - this.#smoothed);
    if (!this.#speaking && this.#smoothed >= this.#on) {
      this.#speaking = true;
      this.#lastLoudMs = nowMs;
    } else if (this.#speaking) {
      if (this.#smoothed >= this.#off) this.#lastLoudMs = nowMs;
      else if (nowMs - this.#lastLoudMs >= this.#hangoverMs) this.#speaking = false;
    }
    return this.#speaking;
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  get smoothedDbfs(): number {
    return this.#smoothed;
  }

  /** Back to silence, not speaking. */
  reset(): void {
    this.#smoothed = SILENCE_DBFS;
    this.#speaking = false;
  }
}
