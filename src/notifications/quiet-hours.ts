/**
 * Quiet hours (pure): no push and no toast between `start` and `end`, local time in the
 * person's time zone; the inbox entry is written all the same. A window may run past
 * midnight (22:00-07:00); `start` equal to `end` is an empty window.
 */
export interface QuietHours {
  /** "HH:MM", 24-hour. */
  start: string;
  end: string;
  /** An IANA time zone, e.g. "Europe/Paris". */
  timeZone: string;
}

const hhmm = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of "HH:MM", or null when it is not one. */
export function minutesOf(text: string): number | null {
  const m = hhmm.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight at `at` in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/** Whether `at` falls inside the quiet hours (never, without any or with a broken one). */
export function inQuietHours(quiet: QuietHours | null, at: Date): boolean {
  if (!quiet) return false;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === null || end === null || start === end || !isTimeZone(quiet.timeZone)) return false;
  const now = localMinutes(at, quiet.timeZone);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
