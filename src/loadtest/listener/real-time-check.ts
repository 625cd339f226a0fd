/**
 * Whether a listener keeps up with real time, from the parts it receives: a player that
 * starts playing once it holds `startupSeconds` of media (PART-HOLD-BACK for an LL-HLS
 * player) and then plays in real time stalls whenever the next part arrives after the
 * playhead has used up everything received so far. Pure: the caller passes the clock.
 */
export class RealTimeCheck {
  readonly #startupSeconds: number;
  #firstAt: number | undefined;
  #playingSince: number | undefined;
  #lastAt: number | undefined;
  #mediaSeconds = 0;
  #pausedSeconds = 0;
  #stalls = 0;

  constructor(options: { startupSeconds?: number } = {}) {
    this.#startupSeconds = options.startupSeconds ?? 0;
  }

  /** A part of `durationSeconds` fully received at `atMs` (milliseconds, any origin). */
  received(durationSeconds: number, atMs: number): void {
    this.#firstAt ??= atMs;
    if (this.#playingSince !== undefined) {
      const playhead = (atMs - this.#playingSince) / 1000 - this.#pausedSeconds;
      if (playhead > this.#mediaSeconds) {
        // The buffer ran dry: the player waited for this part.
        this.#stalls++;
        this.#pausedSeconds += playhead - this.#mediaSeconds;
      }
    }
    this.#mediaSeconds += durationSeconds;
    this.#lastAt = atMs;
    if (this.#playingSince === undefined && this.#mediaSeconds >= this.#startupSeconds - 1e-6) {
      this.#playingSince = atMs;
    }
  }

  get mediaSeconds(): number {
    return this.#mediaSeconds;
  }

  get stalls(): number {
    return this.#stalls;
  }

  get firstAt(): number | undefined {
    return this.#firstAt;
  }

  get lastAt(): number | undefined {
    return this.#lastAt;
  }

  /** Media received is at least `share` of the wall time since the first part. */
  keepingUp(nowMs: number, share = 0.9): boolean {
    if (this.#firstAt === undefined) return false;
    return this.#mediaSeconds >= share * ((nowMs - this.#firstAt) / 1000);
  }
}
