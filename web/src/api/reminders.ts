import { apiRequest } from "./client";
import type { AudienceForecast, Reminder, ReminderInput } from "./types";

const enc = encodeURIComponent;
const path = (id: string) => `/api/spaces/${enc(id)}/reminder`;

export interface ReminderAnswer {
  reminder: Reminder | null;
}

export const remindersApi = {
  /** Mine, or null. Private: never from a cache. */
  get: (id: string, signal?: AbortSignal) =>
    apiRequest<ReminderAnswer>("GET", path(id), undefined, {
      cache: "no-store",
      ...(signal ? { signal } : {}),
    }),
  set: (id: string, input: ReminderInput) => apiRequest<ReminderAnswer>("PUT", path(id), input),
  remove: (id: string) => apiRequest<ReminderAnswer>("DELETE", path(id)),
  /** The host's view of the audience to expect (403 for anyone else). */
  forecast: (id: string, signal?: AbortSignal) =>
    apiRequest<AudienceForecast>("GET", `/api/spaces/${enc(id)}/audience-forecast`, undefined, {
      cache: "no-store",
      ...(signal ? { signal } : {}),
    }),
};

/** The Space as an iCalendar file, for any calendar app. */
export function calendarFileUrl(spaceId: string): string {
  return `/spaces/${enc(spaceId)}.ics`;
}
