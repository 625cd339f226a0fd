import type { JournalEntry } from "../../media/recorder/recording-journal.ts";

/** A finished part of a recording as the store lists it (its bytes are read separately). */
export type RecordedPart = JournalEntry;

/** The bytes and place of one part to keep. */
export interface PartToKeep extends RecordedPart {
  bytes: Uint8Array;
}

/**
 * Where recordings are kept, durably and off the media node that produced them when the
 * fleet runs on PostgreSQL (docs/decisions.md, "Recordings live in PostgreSQL in a fleet").
 *
 * Writers are fenced: `begin` takes the Space's recording for an owner epoch (the placement
 * lease's), and from then on a write from any lower epoch is refused with `FencedOut`, so a
 * media node that comes back after losing its lease never adds to a recording another node
 * now writes.
 */
export interface RecordingStore {
  readonly kind: "files" | "database";
  /** Takes the Space's recording for `epoch` (keeping what is there); FencedOut if newer. */
  begin(spaceId: string, init: Uint8Array, epoch: number): Promise<void>;
  /** Keeps one part, in order; FencedOut if a newer owner began since. */
  keep(spaceId: string, epoch: number, part: PartToKeep): Promise<void>;
  /**
   * The finished parts, in order (empty when nothing was recorded). Indexed in memory after
   * the first read (RecordingIndex): the answer is shared, never to be changed by the caller.
   */
  parts(spaceId: string): Promise<readonly RecordedPart[]>;
  /** The init segment, or null. */
  init(spaceId: string): Promise<Uint8Array | null>;
  /** One part's bytes by its URI, or null. */
  part(spaceId: string, uri: string): Promise<Uint8Array | null>;
  /** Deletes the recording: its parts' bytes (files or rows) and its index. */
  delete(spaceId: string): Promise<void>;
}

/** A newer owner writes this recording now: stop writing it here. */
export class FencedOut extends Error {
  constructor(
    readonly spaceId: string,
    readonly epoch: number,
  ) {
    super(`recording of ${spaceId} is written by a newer owner than epoch ${epoch}`);
    this.name = "FencedOut";
  }
}

const partUri = /^part-(\d{1,16})-(\d{1,16})\.m4s$/;

/** The msn and index a part URI names, or null when it names no part. */
export function parsePartUri(uri: string): { msn: number; index: number } | null {
  const match = partUri.exec(uri);
  if (!match) return null;
  return { msn: Number(match[1]), index: Number(match[2]) };
}
