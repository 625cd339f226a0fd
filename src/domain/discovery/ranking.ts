/**
 * How discovery orders Spaces. Pure: counts and clocks come in as numbers.
 *
 * - Live: most listeners now first, then the most recently started.
 * - Upcoming: the expected audience, discounted by how far away the start is. The audience is
 *   the host's followers today; reminders (migration 0006, `space_reminders`) weigh more,
 *   since each is a person who asked for this Space: pass them as `reminders` once counted.
 *   Each day further away costs a factor of ten in audience.
 */

export interface LiveCandidate {
  listeners: number;
  startedAt: number | null;
}

export function compareLive(a: LiveCandidate, b: LiveCandidate): number {
  return b.listeners - a.listeners || (b.startedAt ?? 0) - (a.startedAt ?? 0);
}

export interface UpcomingCandidate {
  /** Followers of the host. */
  followers: number;
  /** People who asked to be reminded of this Space (0 until reminders are counted). */
  reminders: number;
  /** Planned start (ms since the epoch); null: "when the host is ready", taken as now. */
  startsAt: number | null;
}

/** A reminder counts as this many followers. */
export const reminderWeight = 3;
const dayMs = 86_400_000;

export function upcomingScore(c: UpcomingCandidate, now: number): number {
  const audience = c.followers + reminderWeight * c.reminders;
  const startsIn = Math.max(0, (c.startsAt ?? now) - now);
  return Math.log10(1 + audience) - startsIn / dayMs;
}

/** Best first; equal scores: the sooner start first. */
export function compareUpcoming(now: number) {
  return (a: UpcomingCandidate, b: UpcomingCandidate): number =>
    upcomingScore(b, now) - upcomingScore(a, now) || (a.startsAt ?? now) - (b.startsAt ?? now);
}

/** A scheduled Space whose start passed more than this long ago is no longer "upcoming". */
export const upcomingGraceMs = 3_600_000;
