import ical, { type ICalCalendar, ICalEventStatus } from "ical-generator";
import type { SpaceState } from "../domain/spaces/space-lifecycle.ts";
import type { CalendarSpaceRecord } from "../store/repositories/calendar-repository.ts";

/**
 * Spaces as iCalendar (RFC 5545) events, written with ical-generator: it escapes TEXT values
 * (§3.3.11: `\` `;` `,` and line breaks) and folds content lines at 75 octets without
 * splitting a character (§3.1). Pure: the same Space gives the same bytes.
 *
 * - UID `<space id>@<host of the public URL>`: stable, so re-importing updates the event.
 * - DTSTART / DTEND in UTC: the actual start and end once they happened, else the scheduled
 *   time and one hour (`defaultDurationMs`).
 * - DTSTAMP and LAST-MODIFIED: the Space's last change of state (without a METHOD, DTSTAMP is
 *   "when the information was last revised", §3.8.7.2), so the bytes only change with it.
 * - SEQUENCE follows the lifecycle, which is when the times change: 0 scheduled, 1 live or
 *   cancelled, 2 ended (there is no rescheduling; docs/decisions.md).
 * - STATUS: CANCELLED for a cancelled Space, CONFIRMED otherwise.
 */

export const defaultDurationMs = 3_600_000;

export interface CalendarSite {
  /** The public address of the site, e.g. https://amphi.example (no trailing slash). */
  baseUrl: string;
}

const sequenceOf: Record<SpaceState, number> = { scheduled: 0, live: 1, cancelled: 1, ended: 2 };

/** When the event starts and ends, or null when the Space has no time yet. */
export function eventTimes(space: CalendarSpaceRecord): { start: Date; end: Date } | null {
  const start = space.startedAt ?? space.scheduledFor;
  if (!start) return null;
  const end = space.endedAt ?? new Date(start.getTime() + defaultDurationMs);
  return { start, end: end.getTime() > start.getTime() ? end : new Date(start.getTime() + 1000) };
}

export function spacePageUrl(site: CalendarSite, spaceId: string): string {
  return `${site.baseUrl}/spaces/${encodeURIComponent(spaceId)}`;
}

function newCalendar(name: string, site: CalendarSite): ICalCalendar {
  return ical({
    prodId: { company: "Amphi", product: "Amphi Spaces", language: "EN" },
    name,
    url: site.baseUrl,
  });
}

function addEvent(calendar: ICalCalendar, space: CalendarSpaceRecord, site: CalendarSite): void {
  const times = eventTimes(space);
  if (!times) return;
  const url = spacePageUrl(site, space.id);
  const host = `${space.host.displayName} (@${space.host.handle})`;
  const lines = [
    space.state === "cancelled" ? "Cancelled by the host." : null,
    space.description || null,
    `A live audio Space hosted by ${host} on Amphi.`,
    `Listen: ${url}`,
  ].filter((line) => line !== null);
  calendar.createEvent({
    id: `${space.id}@${new URL(site.baseUrl).hostname}`,
    sequence: sequenceOf[space.state],
    stamp: space.updatedAt,
    created: space.createdAt,
    lastModified: space.updatedAt,
    start: times.start,
    end: times.end,
    summary: space.title,
    description: lines.join("\n"),
    url,
    status: space.state === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
}

/** Every content line ends with CRLF, the last one too (§3.4); ical-generator omits that one. */
function render(calendar: ICalCalendar): string {
  return `${calendar.toString()}\r\n`;
}

/** A VCALENDAR with the one Space's VEVENT, or null when the Space has no time yet. */
export function spaceCalendar(space: CalendarSpaceRecord, site: CalendarSite): string | null {
  if (!eventTimes(space)) return null;
  const calendar = newCalendar(space.title, site);
  addEvent(calendar, space, site);
  return render(calendar);
}

/**
 * A host's feed to subscribe to: their upcoming and recent Spaces (those without a time are
 * left out). Calendar apps poll it; it asks them to come back every hour (REFRESH-INTERVAL).
 */
export function hostCalendar(
  host: { handle: string; displayName: string },
  spaces: readonly CalendarSpaceRecord[],
  site: CalendarSite,
): string {
  const calendar = newCalendar(`${host.displayName} (@${host.handle}) on Amphi`, site);
  calendar.description(`Live audio Spaces hosted by ${host.displayName} on Amphi.`);
  calendar.ttl(3600);
  for (const space of spaces) addEvent(calendar, space, site);
  return render(calendar);
}

/** A file name for the download: the title's letters and digits, else the id. */
export function calendarFileName(title: string, fallback: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .toLowerCase();
  return `${slug || fallback}.ics`;
}
