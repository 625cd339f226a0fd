import { admissionApi } from "../api/admission";
import { isApiError } from "../api/api-error";
import type { HeartbeatAnswer } from "../api/types";
import { retryDelayMs } from "./admission-state";

export interface HeartbeatDeps {
  heartbeat: (spaceId: string, ticket: string, signal: AbortSignal) => Promise<HeartbeatAnswer>;
  random: () => number;
}

export const browserHeartbeatDeps: HeartbeatDeps = {
  heartbeat: (spaceId, ticket, signal) => admissionApi.heartbeat(spaceId, ticket, { signal }),
  random: Math.random,
};

export interface HeartbeatCallbacks {
  /** The ticket is no longer accepted (401 AMPHI_TICKET_INVALID): get a new one. */
  onInvalid: () => void;
  /** Each accepted beat, with the number of people listening. */
  onBeat?: (answer: HeartbeatAnswer) => void;
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === "AbortError";

/**
 * Keeps one ticket alive while its listener plays: a heartbeat every `heartbeatSeconds`, each
 * with the renewed ticket of the previous answer. A failed beat is retried sooner (Retry-After
 * or backoff, never later than the normal beat); an invalid ticket or an ended Space stops it.
 */
export class HeartbeatLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | null = null;
  private stopped = false;
  private failures = 0;
  private ticket: string;
  private intervalMs: number;

  constructor(
    private readonly spaceId: string,
    grant: { ticket: string; heartbeatSeconds: number },
    private readonly callbacks: HeartbeatCallbacks,
    private readonly deps: HeartbeatDeps = browserHeartbeatDeps,
  ) {
    this.ticket = grant.ticket;
    this.intervalMs = intervalOf(grant.heartbeatSeconds);
  }

  start(): void {
    this.schedule(this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.inFlight?.abort();
    this.inFlight = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.beat(), delayMs);
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      const answer = await this.deps.heartbeat(this.spaceId, this.ticket, controller.signal);
      if (this.stopped) return;
      this.failures = 0;
      this.ticket = answer.ticket;
      this.intervalMs = intervalOf(answer.heartbeatSeconds);
      this.callbacks.onBeat?.(answer);
      this.schedule(this.intervalMs);
    } catch (error) {
      if (this.stopped || isAbort(error)) return;
      if (isApiError(error, "AMPHI_TICKET_INVALID") || isApiError(error, "AMPHI_UNAUTHENTICATED")) {
        this.stop();
        this.callbacks.onInvalid();
        return;
      }
      if (isApiError(error, "AMPHI_SPACE_ENDED") || isApiError(error, "AMPHI_SPACE_NOT_FOUND")) {
        // Nothing left to keep alive; the Space page learns of the end from its own feed.
        this.stop();
        return;
      }
      const retryAfter = isApiError(error) ? error.retryAfter : undefined;
      const delayMs = retryDelayMs(retryAfter, this.failures++, this.deps.random);
      this.schedule(Math.min(delayMs, this.intervalMs));
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }
}

/** The server's beat interval, kept sane: a broken value must not turn into a busy loop. */
function intervalOf(heartbeatSeconds: number): number {
  const seconds = Number.isFinite(heartbeatSeconds) ? heartbeatSeconds : 30;
  return Math.min(300_000, Math.max(5_000, seconds * 1000));
}
