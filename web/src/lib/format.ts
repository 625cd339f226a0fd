/** Dates and numbers as people read them, in the browser's locale. */

const dateTime = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const monthYear = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric" });

const startOfDay = (t: number) => new Date(t).setHours(0, 0, 0, 0);

/** "in 2 hours", "5 minutes ago", "tomorrow", "in 3 days", "now". */
export function formatRelative(iso: string, now = Date.now()): string {
  const target = new Date(iso).getTime();
  const diff = target - now;
  if (Number.isNaN(diff)) return "";
  const abs = Math.abs(diff);
  if (abs >= 86_400_000) {
    // Calendar days, so that tomorrow evening reads "tomorrow" rather than "in 2 days".
    const days = Math.round((startOfDay(target) - startOfDay(now)) / 86_400_000);
    return relative.format(days, "day");
  }
  if (abs >= 3_600_000) return relative.format(Math.round(diff / 3_600_000), "hour");
  if (abs >= 60_000) return relative.format(Math.round(diff / 60_000), "minute");
  return "now";
}

/** "November 2026". */
export function formatMonthYear(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : monthYear.format(date);
}

export function formatCount(n: number): string {
  return n < 10_000 ? String(n) : compact.format(n);
}

export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
