import type { SpaceState } from "../spaces/space-lifecycle.ts";

/** The moments a reminder can fire at; a new reminder asks for all three. */
export interface ReminderMoments {
  at24h: boolean;
  at1h: boolean;
  atStart: boolean;
}

export const defaultMoments: ReminderMoments = { at24h: true, at1h: true, atStart: true };

/**
 * Reminders are set, changed and removed only while a Space is scheduled: once it is live the
 * audience joins it, once it is over (ended or cancelled) there is nothing left to remind of.
 */
export function acceptsReminders(state: SpaceState): boolean {
  return state === "scheduled";
}

/** The moments asked for, the ones left out keeping their default (on). */
export function momentsOf(input: Partial<ReminderMoments>): ReminderMoments {
  return {
    at24h: input.at24h ?? defaultMoments.at24h,
    at1h: input.at1h ?? defaultMoments.at1h,
    atStart: input.atStart ?? defaultMoments.atStart,
  };
}
