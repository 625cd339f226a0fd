/**
 * When a failed webhook attempt is tried again: exponential backoff with jitter, as the
 * Standard Webhooks spec recommends (a schedule spanning days, random jitter so that failures
 * caused by the attempts' own load do not recur in step). Pure: the randomness is passed in.
 */

/** 5 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 12 h, 24 h: ten attempts over ~2 days. */
export const defaultRetrySeconds = "5,30,120,600,3600,10800,21600,43200,86400";

export interface RetrySchedule {
  /** The wait after the 1st, 2nd... failed attempt, in seconds; its length + 1 attempts in all. */
  delaysSeconds: readonly number[];
  /** Each wait is spread by ± this share of itself (0.2: 80-120 %). */
  jitter: number;
}

/** `"5,30,120"` -> [5, 30, 120]; throws on anything else (the config validates with it). */
export function parseRetrySeconds(text: string): number[] {
  const delays = text.split(",").map((part) => Number(part.trim()));
  if (delays.length === 0 || delays.some((d) => !Number.isFinite(d) || d < 0 || d > 7 * 86_400)) {
    throw new Error("a comma-separated list of seconds (0 to 604800)");
  }
  return delays;
}

/** How many attempts a message gets in all. */
export function maxAttempts(schedule: RetrySchedule): number {
  return schedule.delaysSeconds.length + 1;
}

/**
 * The wait in ms before the attempt after `failedAttempt` (1 = the first try failed), or null
 * when it was the last one. A receiver's `Retry-After` (429, 503) lengthens the wait, never
 * past the schedule's longest.
 */
export function nextRetryDelayMs(
  schedule: RetrySchedule,
  failedAttempt: number,
  random: () => number,
  retryAfterSeconds?: number | null,
): number | null {
  const base = schedule.delaysSeconds[failedAttempt - 1];
  if (base === undefined) return null;
  const spread = 1 + schedule.jitter * (2 * random() - 1);
  let delay = base * 1000 * spread;
  if (retryAfterSeconds != null && retryAfterSeconds > 0) {
    const longest = Math.max(...schedule.delaysSeconds) * 1000;
    delay = Math.max(delay, Math.min(retryAfterSeconds * 1000, longest));
  }
  return Math.round(delay);
}
