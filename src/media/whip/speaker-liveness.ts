/**
 * Whether a publishing speaker is "connected" (transport up and audio flowing) or
 * "disconnected" (ICE/DTLS lost, or no RTP for `inactivityMs`: a speaker who vanished
 * mid-sentence). Pure: the caller passes the time; each method returns the new state when it
 * changed, so every change is reported exactly once. Nothing is reported before the first
 * "connected".
 */
export type SpeakerMediaState = "connected" | "disconnected";

export class SpeakerLiveness {
  readonly inactivityMs: number;
  #transportUp = false;
  #lastActivity = Number.NEGATIVE_INFINITY;
  #reported: SpeakerMediaState | undefined;
  #ended = false;

  constructor(inactivityMs: number) {
    this.inactivityMs = inactivityMs;
  }

  /** The last reported state; undefined before the first connection. */
  get state(): SpeakerMediaState | undefined {
    return this.#reported;
  }

  /** ICE/DTLS went up (true) or down (false). Connecting starts a grace period for audio. */
  transport(up: boolean, now: number): SpeakerMediaState | undefined {
    if (this.#ended) return undefined;
    if (up && !this.#transportUp) this.#lastActivity = Math.max(this.#lastActivity, now);
    this.#transportUp = up;
    return this.#evaluate(now);
  }

  /** An RTP packet arrived. */
  rtp(now: number): SpeakerMediaState | undefined {
    if (this.#ended) return undefined;
    this.#lastActivity = now;
    return this.#evaluate(now);
  }

  /** Time passed (called periodically): detects the inactivity timeout. */
  tick(now: number): SpeakerMediaState | undefined {
    if (this.#ended) return undefined;
    return this.#evaluate(now);
  }

  /** The session ended: "disconnected" if it was connected; nothing is reported afterwards. */
  end(): SpeakerMediaState | undefined {
    if (this.#ended) return undefined;
    this.#ended = true;
    if (this.#reported !== "connected") return undefined;
    this.#reported = "disconnected";
    return "disconnected";
  }

  #evaluate(now: number): SpeakerMediaState | undefined {
    const live = this.#transportUp && now - this.#lastActivity < this.inactivityMs;
    const next: SpeakerMediaState | undefined = live
      ? "connected"
      : this.#reported === undefined
        ? undefined
        : "disconnected";
    if (next === undefined || next === this.#reported) return undefined;
    this.#reported = next;
    return next;
  }
}
