import { isAfter } from "../../media/recorder/recording-journal.ts";
import type { RecordedPart } from "./recording-store.ts";

/**
 * The parts of recordings held in memory, so a replay request does not read the whole
 * journal again (a 7-hour recording has ~100,000 parts: re-reading it made `init.mp4` take
 * 810 ms instead of 15). A store reads a recording's journal once, then appends the parts it
 * keeps. Memory is bounded: past `maxEntries` parts in all, the least recently used
 * recordings are forgotten (an entry is ~150 bytes: the default holds ~45 MB).
 */
export class RecordingIndex {
  /** In least-recently-used order: a Map iterates in insertion order. */
  private readonly recordings = new Map<string, RecordedPart[]>();
  private entries = 0;

  constructor(private readonly maxEntries = 300_000) {}

  /** The recording's parts if indexed (and marks it recently used). */
  get(spaceId: string): readonly RecordedPart[] | undefined {
    const parts = this.recordings.get(spaceId);
    if (!parts) return undefined;
    this.recordings.delete(spaceId);
    this.recordings.set(spaceId, parts);
    return parts;
  }

  /** Indexes a recording read in full. */
  set(spaceId: string, parts: readonly RecordedPart[]): void {
    this.forget(spaceId);
    this.recordings.set(spaceId, [...parts]);
    this.entries += parts.length;
    this.evict(spaceId);
  }

  /** A part was kept: appended if the recording is indexed (a repeat or an older part is not). */
  append(spaceId: string, part: RecordedPart): void {
    const parts = this.recordings.get(spaceId);
    if (!parts) return;
    const last = parts.at(-1);
    if (last && !isAfter(part, last)) return;
    parts.push(part);
    this.entries++;
    this.evict(spaceId);
  }

  forget(spaceId: string): void {
    const parts = this.recordings.get(spaceId);
    if (!parts) return;
    this.recordings.delete(spaceId);
    this.entries -= parts.length;
  }

  /** Parts held now, over every indexed recording. */
  get size(): number {
    return this.entries;
  }

  /** Forgets the least recently used recordings until under budget (never `keep`). */
  private evict(keep: string): void {
    for (const id of this.recordings.keys()) {
      if (this.entries <= this.maxEntries) return;
      if (id !== keep) this.forget(id);
    }
  }
}
