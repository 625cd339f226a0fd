/**
 * The words a shared link shows (page head, card, oEmbed, feed): status lines, dates and
 * durations, formatted the same everywhere and independently of the server's locale. Pure.
 */

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** 1234567 -> "1,234,567". */
export function groupDigits(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.floor(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "Tue 3 Dec, 18:00 UTC" (the year only when it is not `now`'s). */
export function formatUtc(at: Date, now: Date): string {
  const hh = String(at.getUTCHours()).padStart(2, "0");
  const mm = String(at.getUTCMinutes()).padStart(2, "0");
  const year = at.getUTCFullYear() === now.getUTCFullYear() ? "" : ` ${at.getUTCFullYear()}`;
  return `${weekdays[at.getUTCDay()]} ${at.getUTCDate()} ${months[at.getUTCMonth()]}${year}, ${hh}:${mm} UTC`;
}

/** "42 min", "1 h 05 min", "35 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** "2:05" or "1:02:05": a position in a recording. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** What a Space is at the moment of sharing, as the card's badge and the head's text say it. */
export type SpaceStatus =
  | { kind: "live"; listeners: number }
  | { kind: "scheduled"; at: Date | null }
  | { kind: "replay"; seconds: number }
  | { kind: "ended"; at: Date | null }
  | { kind: "cancelled" };

/** "LIVE · 1,234 listening", "Scheduled · Tue 3 Dec, 18:00 UTC", "Replay · 42 min". */
export function statusLine(status: SpaceStatus, now: Date): string {
  switch (status.kind) {
    case "live":
      return `LIVE · ${groupDigits(status.listeners)} listening`;
    case "scheduled":
      return status.at ? `Scheduled · ${formatUtc(status.at, now)}` : "Scheduled";
    case "replay":
      return `Replay · ${formatDuration(status.seconds)}`;
    case "ended":
      return status.at ? `Ended · ${formatUtc(status.at, now)}` : "Ended";
    case "cancelled":
      return "Cancelled";
  }
}

/** Collapses runs of white space (new lines included) and trims: one line of text. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** At most `max` characters (code points), ending with "…" when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}
