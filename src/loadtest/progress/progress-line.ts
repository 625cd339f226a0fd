import type { ProgressFigures } from "../stats/stats-aggregate.ts";

/** The one-line progress summary printed when stdout is not a terminal. Pure. */
export function progressLine(second: number, f: ProgressFigures, plannedListeners: number): string {
  const parts = [
    `loadtest ${second}s:`,
    `arrived ${f.arrived}/${plannedListeners} (${f.rates.arrivals}/s)`,
    `admitted ${f.admitted} (${f.rates.admitted}/s)`,
    `queued ${f.queued}`,
    `listening ${f.listening}`,
    `errors ${f.errors} (${f.rates.errors}/s)`,
  ];
  if (f.hostileRequests > 0)
    parts.push(`hostile requests ${f.hostileRequests} (${f.rates.hostileRequests}/s)`);
  return parts.join(" ");
}
