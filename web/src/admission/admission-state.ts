import { ApiError, networkErrorCode } from "../api/api-error";
import type { QueuePlace, TicketGrant } from "../api/types";
import { backoffDelay } from "../live/backoff";

/** Why a listener is waiting to retry: the server asked them to slow down, or is unreachable. */
export type RetryReason = "busy" | "offline";

/** Where a listener stands at the admission gate of a live Space. */
export type AdmissionState =
  | { status: "idle" }
  | { status: "requesting" }
  | {
      status: "queued";
      queue: QueuePlace;
      /** The furthest place seen in this phase: how far they have come, for the progress bar. */
      firstPosition: number;
      /** When the loop asks again (epoch ms). */
      retryAt: number;
    }
  /** The server wants proof of work first; `attempt` changes for every new challenge. */
  | { status: "challenge"; attempt: number; challengeUrl: string | null }
  | { status: "retrying"; reason: RetryReason; retryAt: number }
  /** The host asked listeners to log in. */
  | { status: "login" }
  /** The Space has not started and its line is not open yet. */
  | { status: "not-open"; retryAt: number | null }
  | { status: "ended" }
  | { status: "failed"; error: unknown }
  | {
      status: "admitted";
      /** The newest ticket (renewed after a refusal); heartbeats use it. */
      grant: TicketGrant;
      /** The playlist of the first grant: kept across renewals so the audio never restarts. */
      playlistUrl: string;
      /** Renewing the ticket needs a challenge solved (attempt number), or null. */
      renewalChallenge: number | null;
      challengeUrl: string | null;
    };

export const idleAdmission: AdmissionState = { status: "idle" };

/** What a refused ticket request means for the listener. */
export type Refusal =
  /** `challengeUrl`: where the server said to fetch it (null: the usual place). */
  | { kind: "challenge"; challengeUrl: string | null }
  | { kind: "retry"; reason: RetryReason; delayMs: number }
  | { kind: "login" }
  | { kind: "not-open"; delayMs: number | null }
  | { kind: "ended" }
  /** Nothing to retry (no such Space, a request the server cannot take). */
  | { kind: "fatal" };

const minRetryMs = 1000;
const maxRetryMs = 5 * 60_000;

/**
 * The wait before asking again: the server's Retry-After when it sent one (never under a
 * second, so a "0" cannot spin the loop), else the jittered exponential backoff.
 */
export function retryDelayMs(
  retryAfterSeconds: number | undefined,
  attempt: number,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds)) {
    return Math.min(maxRetryMs, Math.max(minRetryMs, retryAfterSeconds * 1000));
  }
  return backoffDelay(attempt, random);
}

/** Reads a refusal of `POST /api/spaces/:id/tickets` (any thrown error). */
export function classifyRefusal(
  error: unknown,
  attempt: number,
  random: () => number = Math.random,
): Refusal {
  if (!(error instanceof ApiError)) {
    return { kind: "retry", reason: "offline", delayMs: backoffDelay(attempt, random) };
  }
  const delayMs = retryDelayMs(error.retryAfter, attempt, random);
  if (error.code === networkErrorCode) return { kind: "retry", reason: "offline", delayMs };
  if (error.status === 428 || error.code === "AMPHI_CHALLENGE_REQUIRED") {
    return { kind: "challenge", challengeUrl: detailPath(error.details, "challengeUrl") };
  }
  if (error.status === 429 || error.status === 503)
    return { kind: "retry", reason: "busy", delayMs };
  if (error.status === 401) return { kind: "login" };
  if (error.code === "AMPHI_SPACE_ENDED") return { kind: "ended" };
  if (error.code === "AMPHI_SPACE_NOT_LIVE") {
    return { kind: "not-open", delayMs: untilOpening(error, random) };
  }
  // A server in trouble (5xx) is waited out like a busy one.
  if (error.status >= 500) return { kind: "retry", reason: "busy", delayMs };
  return { kind: "fatal" };
}

/** A same-site path named in an error's details (`{ challengeUrl: "/api/..." }`), else null. */
function detailPath(details: unknown, name: string): string | null {
  if (typeof details !== "object" || details === null) return null;
  const value = (details as Record<string, unknown>)[name];
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) return null;
  return value;
}

/** Longest wait on a line that opens later: one timer, re-armed after a day. */
const maxOpeningWaitMs = 24 * 3_600_000;

/**
 * When to ask again about a line that is not open yet: at its opening (`details.opensAt`)
 * plus up to 10 s of jitter, so a crowd waiting on the page does not arrive in the same
 * millisecond; at Retry-After when sent instead; null when the server said neither.
 */
function untilOpening(error: ApiError, random: () => number): number | null {
  if (error.retryAfter !== undefined) return retryDelayMs(error.retryAfter, 0, random);
  const details = error.details as { opensAt?: unknown } | undefined;
  const opensAt = typeof details?.opensAt === "string" ? Date.parse(details.opensAt) : Number.NaN;
  if (Number.isNaN(opensAt)) return null;
  const wait = Math.max(minRetryMs, opensAt - Date.now()) + Math.round(random() * 10_000);
  return Math.min(maxOpeningWaitMs, wait);
}

/** The queued state after a 202, remembering how far back in line the listener started. */
export function queuedState(
  previous: AdmissionState,
  queue: QueuePlace,
  retryAt: number,
): AdmissionState {
  const samePhase = previous.status === "queued" && previous.queue.phase === queue.phase;
  const firstPosition = samePhase
    ? Math.max(previous.firstPosition, queue.position)
    : queue.position;
  return { status: "queued", queue, firstPosition, retryAt };
}

/**
 * How far through the line, from 0 to 1 (never quite either end: a bar at zero looks broken,
 * a full one promises too much); null while the order is not drawn yet (pre-queue).
 */
export function queueProgress(queue: QueuePlace, firstPosition: number): number | null {
  if (queue.phase === "pre-queue") return null;
  const first = Math.max(firstPosition, queue.position, 1);
  return (first - queue.position + 1) / (first + 1);
}
