/** Times in a recording as people read and type them: "1:05", "1:02:03", or plain seconds. */

const pad = (n: number) => String(n).padStart(2, "0");

/** 65 -> "1:05", 3723 -> "1:02:03"; whole seconds, rounded down. */
export function formatClock(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

const clock = /^(?:(\d+):)?(\d+):([0-5]?\d(?:\.\d+)?)$/;
const plain = /^\d+(?:\.\d+)?$/;

/** "1:05", "01:02:03", "65" or "65.5" -> seconds; null for anything else. */
export function parseClock(text: string): number | null {
  const value = text.trim();
  if (plain.test(value)) return Number(value);
  const match = clock.exec(value);
  if (!match) return null;
  const [, h = "0", m = "0", s = "0"] = match;
  if (match[1] !== undefined && Number(m) > 59) return null;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** "0:12 – 0:45" for a range of a recording. */
export function formatRange(start: number, end: number): string {
  return `${formatClock(start)} – ${formatClock(end)}`;
}
