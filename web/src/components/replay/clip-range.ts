import { formatClock, parseClock } from "../../media/time";

/** The longest clip the server cuts. */
export const maxClipSeconds = 60;
/** The length a clip starts with, from the current position. */
export const defaultClipSeconds = 30;

export type ClipRange = { startSeconds: number; endSeconds: number };
export type ClipErrors = { start?: string; end?: string };

const formatHint = "Use m:ss or seconds, like 1:05 or 65.";

/** The range a new clip is offered: from the replay position, 30 s long, inside the recording. */
export function defaultClipRange(position: number, duration: number): ClipRange {
  const total = Number.isFinite(duration) && duration > 0 ? Math.floor(duration) : 0;
  let start = Math.max(0, Math.floor(position));
  if (total > 0 && start > total - 1) start = Math.max(0, total - defaultClipSeconds);
  const end = total > 0 ? Math.min(start + defaultClipSeconds, total) : start + defaultClipSeconds;
  return { startSeconds: start, endSeconds: end };
}

/** Checks what the person typed; the server checks again. */
export function validateClipRange(
  startText: string,
  endText: string,
  duration: number,
): { range: ClipRange } | { errors: ClipErrors } {
  const start = parseClock(startText);
  const end = parseClock(endText);
  const errors: ClipErrors = {};
  if (start === null) errors.start = formatHint;
  if (end === null) errors.end = formatHint;
  if (start === null || end === null) return { errors };

  const known = Number.isFinite(duration) && duration > 0;
  if (known && start >= duration) {
    errors.start = `The recording is only ${formatClock(duration)} long.`;
  } else if (end <= start) {
    errors.end = "The end must come after the start.";
  } else if (end - start > maxClipSeconds) {
    errors.end = `A clip can be at most ${maxClipSeconds} seconds long.`;
  } else if (known && end > Math.ceil(duration)) {
    errors.end = `The recording is only ${formatClock(duration)} long.`;
  }
  if (errors.start || errors.end) return { errors };
  return { range: { startSeconds: start, endSeconds: end } };
}
