/** Conversions for `<input type="datetime-local">`, whose value has no time zone. */

const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, "0");

/** `2025-06-01T18:30` (local) for a Date, the format the input takes. */
export function toLocalInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

/** ISO 8601 with the local offset: `2025-06-01T18:30:00+02:00`. */
export function toIsoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const zone = `${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
  return `${toLocalInputValue(date)}:${pad(date.getSeconds())}${zone}`;
}

/** The input's value as ISO with offset, or null when it is empty or not a date. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : toIsoWithOffset(date);
}
