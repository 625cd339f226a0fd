/**
 * A lookahead-free peak limiter for the program mix: float samples on the 16-bit scale in,
 * Int16 out, never beyond ±`ceiling`.
 *
 * A peak envelope rises instantly to any sample above it, holds for `holdMs`, then decays with
 * `releaseMs`; the gain is `ceiling / envelope` when the envelope is above the ceiling, else 1.
 * Because the envelope is never below the current sample, |output| ≤ ceiling always; because the
 * gain only moves at peaks and then holds across a pitch period, an over is turned down as a
 * whole rather than having its tops sheared off (no hard-clipping harmonics); and a mix that
 * never exceeds the ceiling passes bit-exact.
 */

export interface LimiterOptions {
  /** Largest output magnitude. */
  readonly ceiling?: number;
  /** How long the gain holds after a peak; longer than the lowest expected pitch period. */
  readonly holdMs?: number;
  /** Time constant of the gain's recovery after the hold. */
  readonly releaseMs?: number;
  readonly sampleRate?: number;
}

export class Limiter {
  readonly #ceiling: number;
  readonly #holdSamples: number;
  readonly #decay: number;
  #envelope = 0;
  #hold = 0;

  constructor(options: LimiterOptions = {}) {
    this.#ceiling = Math.min(32767, Math.max(1, options.ceiling ?? 32767));
    const perMs = (options.sampleRate ?? 48_000) / 1000;
    this.#holdSamples = Math.round((options.holdMs ?? 15) * perMs);
    this.#decay = Math.exp(-1 / ((options.releaseMs ?? 120) * perMs));
  }

  /** Limits `input` into `output` (a new Int16Array of the same length unless given). */
  process(input: ArrayLike<number>, output = new Int16Array(input.length)): Int16Array {
    const ceiling = this.#ceiling;
    let envelope = this.#envelope;
    let hold = this.#hold;
    for (let i = 0; i < input.length; i++) {
      let x = input[i] ?? 0;
      if (!Number.isFinite(x)) x = 0;
      const magnitude = Math.abs(x);
      if (magnitude >= envelope) {
        envelope = magnitude;
        hold = this.#holdSamples;
      } else if (hold > 0) {
        hold--;
      } else {
        envelope = Math.max(magnitude, envelope * this.#decay);
      }
      const y = envelope > ceiling ? (x * ceiling) / envelope : x;
      output[i] = Math.max(-ceiling, Math.min(ceiling, Math.round(y)));
    }
    this.#envelope = envelope;
    this.#hold = hold;
    return output;
  }

  /** Current gain (1 = transparent). */
  get gain(): number {
    return this.#envelope > this.#ceiling ? this.#ceiling / this.#envelope : 1;
  }

  reset(): void {
    this.#envelope = 0;
    this.#hold = 0;
  }
}
