/**
 * Network jitter seen by one speaker's packets: the spread (max − min) of their relative transit
 * time `arrivalMs − timestamp / rate` over the last packets. A constant clock offset or a slow
 * drift cancels out; what remains is how much later than the earliest a packet can arrive.
 */
import { timestampDiff } from "./seq.ts";

export class TransitSpread {
  readonly #samples: Float64Array;
  readonly #ticksPerMs: number;
  #count = 0;
  #next = 0;
  /** Unwrapped timestamp of the latest packet, in RTP ticks. */
  #extended = 0;
  #lastTimestamp: number | undefined;

  constructor(window: number, clockRate: number) {
    this.#samples = new Float64Array(Math.max(1, window));
    this.#ticksPerMs = clockRate / 1000;
  }

  /** Records one packet. */
  add(timestamp: number, arrivalMs: number): void {
    const last = this.#lastTimestamp;
    this.#extended = last === undefined ? 0 : this.#extended + timestampDiff(timestamp, last);
    this.#lastTimestamp = timestamp;
    this.#samples[this.#next] = arrivalMs - this.#extended / this.#ticksPerMs;
    this.#next = (this.#next + 1) % this.#samples.length;
    this.#count = Math.min(this.#count + 1, this.#samples.length);
  }

  /** Spread of transit times in ms over the window; 0 with fewer than two packets. */
  spreadMs(): number {
    if (this.#count < 2) return 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.#count; i++) {
      const v = this.#samples[i] ?? 0;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return max - min;
  }

  reset(): void {
    this.#count = 0;
    this.#next = 0;
    this.#extended = 0;
    this.#lastTimestamp = undefined;
  }
}
