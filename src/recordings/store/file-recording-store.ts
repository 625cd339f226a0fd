import { join } from "node:path";
import { formatEntry, readJournal } from "../../media/recorder/recording-journal.ts";
import { nodeRecordingFiles, type RecordingFiles } from "./recording-files.ts";
import { RecordingIndex } from "./recording-index.ts";
import {
  type PartToKeep,
  parsePartUri,
  type RecordedPart,
  type RecordingStore,
} from "./recording-store.ts";

/** Where a Space's recording lives: `<dataDir>/recordings/<spaceId>/`. */
export function recordingDir(dataDir: string, spaceId: string): string {
  return join(dataDir, "recordings", spaceId);
}

const newline = 0x0a;
const encoder = new TextEncoder();

export interface FileRecordingStoreOptions {
  /** The file system (node:fs; a failing one in tests). */
  files?: RecordingFiles;
  /** The in-memory index of journals (one per store). */
  index?: RecordingIndex;
}

/**
 * Recordings as files in DATA_DIR (the embedded default: one process owns the folder, so
 * there is no other writer to fence): `init.mp4`, one file per part, each fsynced, then its
 * line in `parts.jsonl`, fsynced. A crash or a failed write mid-line loses at most the part
 * in flight: the next append starts on a line of its own, and the reader skips a torn line.
 * Each journal is read once and indexed in memory (RecordingIndex), then appended to.
 */
export class FileRecordingStore implements RecordingStore {
  readonly kind = "files";
  private readonly files: RecordingFiles;
  private readonly index: RecordingIndex;
  /** Journals this process knows end with a complete line. */
  private readonly clean = new Set<string>();
  /** Appends per journal, so a read that raced an append is not indexed. */
  private readonly appends = new Map<string, number>();

  constructor(
    private readonly dataDir: string,
    options: FileRecordingStoreOptions = {},
  ) {
    this.files = options.files ?? nodeRecordingFiles;
    this.index = options.index ?? new RecordingIndex();
  }

  async begin(spaceId: string, init: Uint8Array, _epoch: number): Promise<void> {
    const dir = recordingDir(this.dataDir, spaceId);
    await this.files.mkdir(dir);
    // A restarted Space keeps its first init segment: the stream parameters do not change.
    if (!(await this.files.exists(join(dir, "init.mp4")))) {
      await this.files.writeDurably(join(dir, "init.mp4"), init, "w");
    }
  }

  async keep(spaceId: string, _epoch: number, part: PartToKeep): Promise<void> {
    const dir = recordingDir(this.dataDir, spaceId);
    const { bytes, ...entry } = part;
    await this.files.writeDurably(join(dir, part.uri), bytes, "w");
    const journal = join(dir, "parts.jsonl");
    let line = formatEntry(entry);
    // After a crash or a failed append the journal may end mid-line: start a new one.
    if (!this.clean.has(spaceId)) {
      const last = await this.files.lastByte(journal);
      if (last !== null && last !== newline) line = `\n${line}`;
    }
    this.clean.delete(spaceId);
    await this.files.writeDurably(journal, encoder.encode(line), "a");
    this.clean.add(spaceId);
    this.appends.set(spaceId, (this.appends.get(spaceId) ?? 0) + 1);
    this.index.append(spaceId, entry);
  }

  async parts(spaceId: string): Promise<readonly RecordedPart[]> {
    const indexed = this.index.get(spaceId);
    if (indexed) return indexed;
    const appendsBefore = this.appends.get(spaceId);
    const bytes = await this.files.read(join(recordingDir(this.dataDir, spaceId), "parts.jsonl"));
    if (!bytes) return [];
    const { entries } = readJournal(new TextDecoder().decode(bytes));
    // A part kept while the journal was read may be missing from what was read: index later.
    if (this.appends.get(spaceId) === appendsBefore) this.index.set(spaceId, entries);
    return entries;
  }

  async init(spaceId: string): Promise<Uint8Array | null> {
    return this.files.read(join(recordingDir(this.dataDir, spaceId), "init.mp4"));
  }

  async part(spaceId: string, uri: string): Promise<Uint8Array | null> {
    if (!parsePartUri(uri)) return null;
    return this.files.read(join(recordingDir(this.dataDir, spaceId), uri));
  }

  async delete(spaceId: string): Promise<void> {
    this.index.forget(spaceId);
    this.clean.delete(spaceId);
    this.appends.delete(spaceId);
    await this.files.removeAll(recordingDir(this.dataDir, spaceId));
  }
}
