import { ApiError, networkErrorCode } from "../api/api-error";

/**
 * When a media connection (WHIP, WHEP, LL-HLS) is lost, how soon to try again and whether to.
 * The media node owning a Space can die and be replaced within seconds (a takeover): the URLs
 * stay, the sessions are gone, and the next request reaches the new owner. So retries start
 * fast and stay frequent (250 ms doubling to 4 s, with jitter so a stage does not come back
 * in lockstep), and only a refusal that trying again cannot fix stops them.
 */
export interface BackoffPolicy {
  /** The first delay. */
  baseMs: number;
  /** The longest delay. */
  maxMs: number;
}

export const mediaBackoff: BackoffPolicy = { baseMs: 250, maxMs: 4000 };

/**
 * The wait before retry number `attempt` (0-based): base·2^attempt up to max, then a random
 * 50..100 % of that ("equal jitter": never zero, never more than the cap).
 */
export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = mediaBackoff,
): number {
  const exponent = Math.min(Math.max(0, attempt), 20);
  const base = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(base * (0.5 + random() * 0.5));
}

/** The wait before a retry the server asked to delay (Retry-After), capped like the rest. */
export function retryDelayFor(
  error: unknown,
  attempt: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = mediaBackoff,
): number {
  const delay = reconnectDelay(attempt, random, policy);
  const asked = error instanceof ApiError ? error.retryAfter : undefined;
  if (asked === undefined || !(asked > 0)) return delay;
  return Math.max(delay, Math.min(policy.maxMs, asked * 1000));
}

/**
 * Codes that say "not now" rather than "no": the Space's audio has no owner yet (it is being
 * placed after a takeover), or a session of this person is still being replaced.
 */
const transientCodes = new Set([
  networkErrorCode,
  "AMPHI_STREAM_NOT_FOUND",
  "AMPHI_WHIP_SESSION_EXISTS",
]);

/**
 * Whether a failed WHIP/WHEP offer is worth repeating: network failures, timeouts, rate limits
 * and 5xx are; a refusal (not on stage any more, the Space not live, logged out, a server
 * without WebRTC) is not.
 */
export function isTransientFailure(error: unknown): boolean {
  if (!(error instanceof ApiError)) {
    // The browser's own failure (a timeout we raised, a connection that never came up).
    return !(error instanceof DOMException && error.name === "AbortError");
  }
  if (transientCodes.has(error.code)) return true;
  const { status } = error;
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}
