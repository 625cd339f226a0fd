import { admissionApi, isQueued } from "../api/admission";
import type { TicketAnswer, TicketRequest } from "../api/types";
import {
  type AdmissionState,
  classifyRefusal,
  idleAdmission,
  queuedState,
  retryDelayMs,
} from "./admission-state";
import { forgetQueueToken, loadQueueToken, saveQueueToken } from "./queue-token-store";

export interface AdmissionDeps {
  requestTicket: (
    spaceId: string,
    body: TicketRequest,
    signal: AbortSignal,
  ) => Promise<TicketAnswer>;
  tokens: {
    load: (spaceId: string) => string | null;
    save: (spaceId: string, token: string) => void;
    forget: (spaceId: string) => void;
  };
  now: () => number;
  random: () => number;
}

export const browserAdmissionDeps: AdmissionDeps = {
  requestTicket: (spaceId, body, signal) => admissionApi.ticket(spaceId, body, { signal }),
  tokens: { load: loadQueueToken, save: saveQueueToken, forget: forgetQueueToken },
  now: () => Date.now(),
  random: Math.random,
};

/** After this many challenges in a row are refused, stop solving and let the listener retry. */
const maxChallengesInARow = 3;
/** How long an admitted listener waits before renewing again when the server gave no hint. */
const renewalRetryMs = 30_000;

const isAbort = (error: unknown) => error instanceof DOMException && error.name === "AbortError";

/**
 * One listener's way through the admission gate of one Space, outside React: asks for a
 * ticket, waits in line (coming back after `retryAfter` with its queue token), hands the
 * challenge to the widget, waits out "busy" answers, and renews the ticket on demand while the
 * audio keeps playing. Every wait is a single timer; `stop()` clears it and aborts the request
 * in flight, so a stopped loop never calls back.
 */
export class AdmissionLoop {
  private state: AdmissionState = idleAdmission;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | null = null;
  private stopped = false;
  /** Refusals in a row, for the backoff. */
  private attempt = 0;
  private challenges = 0;
  private challengesInARow = 0;
  private queueToken: string | null;

  constructor(
    private readonly spaceId: string,
    private readonly onChange: (state: AdmissionState) => void,
    private readonly deps: AdmissionDeps = browserAdmissionDeps,
  ) {
    this.queueToken = deps.tokens.load(spaceId);
  }

  start(): void {
    this.set({ status: "requesting" });
    void this.ask();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.inFlight?.abort();
    this.inFlight = null;
  }

  /** Gives up the place in line for good (the listener chose to leave), then stops. */
  leave(): void {
    this.dropToken();
    this.stop();
  }

  /** The widget solved the challenge: present its payload. */
  solved(payload: string): void {
    void this.ask(payload);
  }

  /** A heartbeat was refused: get a fresh ticket while the audio keeps playing. */
  renew(): void {
    if (this.state.status === "admitted") void this.ask();
  }

  /** Asks now rather than at the next timer (a "Try again" button, the Space went live). */
  retryNow(): void {
    if (this.state.status === "admitted" || this.state.status === "queued") return;
    this.attempt = 0;
    this.challengesInARow = 0;
    this.set({ status: "requesting" });
    void this.ask();
  }

  private set(state: AdmissionState): void {
    this.state = state;
    if (!this.stopped) this.onChange(state);
  }

  private later(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.ask(), delayMs);
  }

  private keepToken(token: string): void {
    this.queueToken = token;
    this.deps.tokens.save(this.spaceId, token);
  }

  private dropToken(): void {
    this.queueToken = null;
    this.deps.tokens.forget(this.spaceId);
  }

  private async ask(altcha?: string): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const body: TicketRequest = {};
    const sentToken = this.queueToken;
    if (sentToken) body.queueToken = sentToken;
    if (altcha) body.altcha = altcha;
    try {
      const answer = await this.deps.requestTicket(this.spaceId, body, controller.signal);
      if (this.stopped || controller.signal.aborted) return;
      this.attempt = 0;
      if (altcha) this.challengesInARow = 0;
      if (isQueued(answer)) {
        // No token: the line is full and holds no place for us; keep asking without one.
        if (answer.queue.token) this.keepToken(answer.queue.token);
        else this.dropToken();
        const delayMs = retryDelayMs(answer.retryAfter, 0, this.deps.random);
        this.set(queuedState(this.state, answer.queue, this.deps.now() + delayMs));
        this.later(delayMs);
        return;
      }
      this.dropToken();
      const playlistUrl =
        this.state.status === "admitted" ? this.state.playlistUrl : answer.playlistUrl;
      this.set({
        status: "admitted",
        grant: answer,
        playlistUrl,
        renewalChallenge: null,
        challengeUrl: null,
      });
    } catch (error) {
      if (this.stopped || controller.signal.aborted || isAbort(error)) return;
      this.refused(error, sentToken !== null, altcha !== undefined);
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }

  private refused(error: unknown, sentToken: boolean, sentChallenge: boolean): void {
    const refusal = classifyRefusal(error, this.attempt++, this.deps.random);
    const current = this.state;
    const now = this.deps.now();

    if (refusal.kind === "challenge") {
      if (sentChallenge) this.challengesInARow++;
      if (this.challengesInARow >= maxChallengesInARow) {
        this.set({ status: "failed", error });
        return;
      }
      this.challenges++;
      // No timer: the widget's answer is the next step.
      const { challengeUrl } = refusal;
      if (current.status === "admitted") {
        this.set({ ...current, renewalChallenge: this.challenges, challengeUrl });
      } else {
        this.set({ status: "challenge", attempt: this.challenges, challengeUrl });
      }
      return;
    }
    if (refusal.kind === "ended") {
      this.dropToken();
      this.set({ status: "ended" });
      return;
    }
    if (refusal.kind === "fatal" && sentToken) {
      // A place in line the server no longer knows (expired, or from another deployment):
      // start over at the back rather than give up.
      this.dropToken();
      this.later(retryDelayMs(undefined, this.attempt, this.deps.random));
      return;
    }
    if (current.status === "admitted") {
      // Renewing: the audio keeps playing whatever the answer; try again later.
      if (refusal.kind !== "fatal") {
        const delayMs = "delayMs" in refusal && refusal.delayMs ? refusal.delayMs : renewalRetryMs;
        this.later(delayMs);
      }
      return;
    }
    switch (refusal.kind) {
      case "fatal":
        this.set({ status: "failed", error });
        return;
      case "login":
        this.set({ status: "login" });
        return;
      case "not-open":
        this.set({
          status: "not-open",
          retryAt: refusal.delayMs === null ? null : now + refusal.delayMs,
        });
        if (refusal.delayMs !== null) this.later(refusal.delayMs);
        return;
      case "retry":
        // In line already: stay on the waiting screen, just come back later than planned.
        if (current.status === "queued") {
          this.set({ ...current, retryAt: now + refusal.delayMs });
        } else {
          this.set({ status: "retrying", reason: refusal.reason, retryAt: now + refusal.delayMs });
        }
        this.later(refusal.delayMs);
        return;
    }
  }
}
