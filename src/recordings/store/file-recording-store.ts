import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { formatEntry, parseJournal } from "../../media/recorder/recording-journal.ts";
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

async function writeDurably(path: string, bytes: Uint8Array, flag: "w" | "a"): Promise<void> {
  // Owner-only, like all of DATA_DIR (src/store/private-files.ts).
  const handle = await open(path, flag, 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Recordings as files in DATA_DIR (the embedded default: one process owns the folder, so
 * there is no other writer to fence): `init.mp4`, one file per part, each fsynced, then its
 * line in `parts.jsonl`, fsynced. A crash mid-write loses at most the part in flight.
 */
export class FileRecordingStore implements RecordingStore {
  readonly kind = "files";

  constructor(private readonly dataDir: string) {}

  async begin(spaceId: string, init: Uint8Array): Promise<void> {
    const dir = recordingDir(this.dataDir, spaceId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // A restarted Space keeps its first init segment: the stream parameters do not change.
    const existing = await stat(join(dir, "init.mp4")).catch(() => null);
    if (!existing) await writeDurably(join(dir, "init.mp4"), init, "w");
  }

  async keep(spaceId: string, _epoch: number, part: PartToKeep): Promise<void> {
    const dir = recordingDir(this.dataDir, spaceId);
    const { bytes, ...entry } = part;
    await writeDurably(join(dir, part.uri), bytes, "w");
    await writeDurably(join(dir, "parts.jsonl"), new TextEncoder().encode(formatEntry(entry)), "a");
  }

  async parts(spaceId: string): Promise<RecordedPart[]> {
    const path = join(recordingDir(this.dataDir, spaceId), "parts.jsonl");
    return parseJournal(await readFile(path, "utf8").catch(() => ""));
  }

  async init(spaceId: string): Promise<Uint8Array | null> {
    return readFile(join(recordingDir(this.dataDir, spaceId), "init.mp4")).catch(() => null);
  }

  async part(spaceId: string, uri: string): Promise<Uint8Array | null> {
    if (!parsePartUri(uri)) return null;
    return readFile(join(recordingDir(this.dataDir, spaceId), uri)).catch(() => null);
  }

  async delete(spaceId: string): Promise<void> {
    await rm(recordingDir(this.dataDir, spaceId), { recursive: true, force: true });
  }
}
