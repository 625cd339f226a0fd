import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { PackagedPart } from "../packager/hls-packager.ts";
import { formatEntry, type JournalEntry, parseJournal } from "./recording-journal.ts";

/** Where a Space's recording lives: `<dataDir>/recordings/<spaceId>/`. */
export function recordingDir(dataDir: string, spaceId: string): string {
  return join(dataDir, "recordings", spaceId);
}

async function writeDurably(path: string, bytes: Uint8Array, flag: "w" | "a"): Promise<void> {
  const handle = await open(path, flag);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a Space's program feed to disk as it is produced: the init segment once, then every
 * part, each fsynced, then its journal line, fsynced. A caller announces a part to listeners
 * only after `write` resolved, so what listeners heard is on disk. Writes run in order.
 */
export class Recorder {
  private queue: Promise<void> = Promise.resolve();
  private failed: unknown = null;

  private constructor(readonly dir: string) {}

  static async open(dataDir: string, spaceId: string, init: Uint8Array): Promise<Recorder> {
    const dir = recordingDir(dataDir, spaceId);
    await mkdir(dir, { recursive: true });
    const recorder = new Recorder(dir);
    // A restarted Space keeps its first init segment: the stream parameters do not change.
    const existing = await stat(join(dir, "init.mp4")).catch(() => null);
    if (!existing) await writeDurably(join(dir, "init.mp4"), init, "w");
    return recorder;
  }

  /** Resolves once the part and its journal line are durable; rejects if the disk failed. */
  write(part: PackagedPart): Promise<void> {
    const entry: JournalEntry = {
      uri: part.uri,
      msn: part.msn,
      index: part.index,
      duration: part.durationSeconds,
      startedAt: part.startedAt,
    };
    const next = this.queue.then(async () => {
      if (this.failed) throw this.failed;
      await writeDurably(join(this.dir, part.uri), part.bytes, "w");
      await writeDurably(
        join(this.dir, "parts.jsonl"),
        new TextEncoder().encode(formatEntry(entry)),
        "a",
      );
    });
    this.queue = next.catch((error: unknown) => {
      this.failed = error;
    });
    return next;
  }

  /** Waits for every write in flight. */
  async flush(): Promise<void> {
    await this.queue;
  }
}

/** The finished parts of a recording, from its journal (empty when there is none). */
export async function readRecording(dataDir: string, spaceId: string): Promise<JournalEntry[]> {
  const text = await readFile(join(recordingDir(dataDir, spaceId), "parts.jsonl"), "utf8").catch(
    () => "",
  );
  return parseJournal(text);
}

export async function deleteRecording(dataDir: string, spaceId: string): Promise<void> {
  await rm(recordingDir(dataDir, spaceId), { recursive: true, force: true });
}
