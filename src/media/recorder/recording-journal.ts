/**
 * The journal of a recording: one JSON line per finished part, appended (and fsynced) only
 * after the part's bytes are durable. Reading it back stops at the first damaged line, so a
 * crash mid-write loses at most the part in flight.
 */
export interface JournalEntry {
  /** The part's file name (part-<msn>-<index>.m4s). */
  uri: string;
  msn: number;
  index: number;
  /** Seconds. */
  duration: number;
  /** Wall-clock time of its first sample, epoch ms. */
  startedAt: number;
  /** The recording resumed here after a gap (a restart or a takeover): EXT-X-DISCONTINUITY. */
  discontinuity?: boolean;
}

export function formatEntry(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

function isEntry(value: unknown): value is JournalEntry {
  const e = value as Partial<JournalEntry> | null;
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.uri === "string" &&
    /^part-\d+-\d+\.m4s$/.test(e.uri) &&
    Number.isSafeInteger(e.msn) &&
    Number.isSafeInteger(e.index) &&
    typeof e.duration === "number" &&
    e.duration > 0 &&
    typeof e.startedAt === "number" &&
    (e.discontinuity === undefined || typeof e.discontinuity === "boolean")
  );
}

/** The complete entries of a journal, in order, up to the first torn or invalid line. */
export function parseJournal(text: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  const lines = text.split("\n");
  // The last element is "" after a complete final line, or a torn line after a crash.
  for (const line of lines.slice(0, -1)) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      break;
    }
    if (!isEntry(value)) break;
    out.push(value);
  }
  return out;
}
