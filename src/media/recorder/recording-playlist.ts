import type { JournalEntry } from "./recording-journal.ts";

/**
 * The VOD playlist of a recording (RFC 8216bis §4.4.3.5 PLAYLIST-TYPE:VOD): every recorded
 * part is one segment. Parts are whole CMAF fragments starting with an independent frame, so
 * each can stand as a segment; this keeps the playlist a plain function of the journal (it
 * survives restarts that renumber the live stream) at the cost of ~2 lines per second.
 */
export function renderRecordingPlaylist(
  entries: readonly JournalEntry[],
  mapUri = "init.mp4",
): string {
  const target = Math.max(1, Math.ceil(Math.max(0, ...entries.map((e) => e.duration)) - 1e-6));
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:6",
    `#EXT-X-TARGETDURATION:${target}`,
    "#EXT-X-PLAYLIST-TYPE:VOD",
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    `#EXT-X-MAP:URI="${mapUri}"`,
  ];
  const first = entries[0];
  if (first) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(first.startedAt).toISOString()}`);
  for (const e of entries) {
    // Where the recording resumed after a gap (its media node restarted or was replaced).
    if (e.discontinuity && e !== first) {
      lines.push("#EXT-X-DISCONTINUITY");
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(e.startedAt).toISOString()}`);
    }
    lines.push(`#EXTINF:${e.duration.toFixed(3)},`, e.uri);
  }
  lines.push("#EXT-X-ENDLIST", "");
  return lines.join("\n");
}

/** The parts that cover [start, end) seconds from the start of the recording. */
export function partsInRange(
  entries: readonly JournalEntry[],
  start: number,
  end: number,
): JournalEntry[] {
  const out: JournalEntry[] = [];
  let t = 0;
  for (const e of entries) {
    const from = t;
    t += e.duration;
    if (t > start && from < end) out.push(e);
  }
  return out;
}

export function totalDuration(entries: readonly JournalEntry[]): number {
  return entries.reduce((sum, e) => sum + e.duration, 0);
}
