/**
 * The journal of a recording: one JSON line per finished part, appended (and fsynced) only
 * after the part's bytes are durable. Reading it back skips a damaged line and goes on, so a
 * crash or a full disk mid-write (a torn line, then the retried line after it) loses at most
 * the part in flight and hides nothing written after it.
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

/** What a journal holds: its complete entries in order, and how many lines were skipped. */
export interface JournalRead {
  entries: JournalEntry[];
  /** Torn, damaged, repeated or out-of-order lines left out. */
  skipped: number;
}

/**
 * The complete entries of a journal, in order. A line that is torn (a crash or a failed
 * write mid-line), invalid, a repeat of an entry already read (a retried append whose first
 * try reached the disk) or not after the previous entry is skipped, and reading goes on.
 */
export function readJournal(text: string): JournalRead {
  const entries: JournalEntry[] = [];
  let skipped = 0;
  let last: JournalEntry | undefined;
  const lines = text.split("\n");
  // The last element is "" after a complete final line, or a torn line after a crash.
  const tail = lines.pop();
  if (tail) skipped++;
  for (const line of lines) {
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (!isEntry(value) || (last && !isAfter(value, last))) {
      skipped++;
      continue;
    }
    entries.push(value);
    last = value;
  }
  return { entries, skipped };
}

/** The complete entries of a journal, in order (readJournal without the count). */
export function parseJournal(text: string): JournalEntry[] {
  return readJournal(text).entries;
}

/** Whether `entry` comes after `previous` on the recording's timeline. */
export function isAfter(entry: JournalEntry, previous: JournalEntry): boolean {
  return entry.msn > previous.msn || (entry.msn === previous.msn && entry.index > previous.index);
}
