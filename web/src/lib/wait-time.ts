/**
 * A wait as people say it: "less than a minute", "about 4 minutes", "about 1 hour 20 minutes".
 * Rounded on purpose: an estimate shown to the second would promise a precision it lacks.
 * Null (the server's "no estimate": past the scheduled start, the host has not started) says
 * so rather than make a number up.
 */
export function formatWait(seconds: number | null): string {
  if (seconds === null) return "unknown, the host hasn't started yet";
  if (!Number.isFinite(seconds) || seconds < 45) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes <= 1) return "about a minute";
  if (minutes < 60) {
    // Past 10 minutes, steps of 5 read better than "about 37 minutes".
    const shown = minutes > 10 ? Math.round(minutes / 5) * 5 : minutes;
    if (shown < 60) return `about ${shown} minutes`;
  }
  // To the nearest 10 minutes: "about 1 hour 20 minutes", "about 2 hours".
  const tens = Math.round(minutes / 10);
  const hours = Math.floor(tens / 6);
  const rest = (tens % 6) * 10;
  const hourText = hours === 1 ? "1 hour" : `${hours} hours`;
  return rest === 0 ? `about ${hourText}` : `about ${hourText} ${rest} minutes`;
}

/** "5 s", "1 min 10 s": a short countdown. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}
