import { nodeRecordingFiles, type RecordingFiles } from "./recording-files.ts";

/**
 * A disk that fills up, for tests: node:fs (nodeRecordingFiles) until `fail` is set, then
 * every write fails with ENOSPC as a full disk's does; an append first writes half its
 * bytes, as a write cut short does (a torn journal line). Fault injection at the store's
 * seam (RecordingFiles), with no root tricks: the store under test is the real one.
 */
export class FailingRecordingFiles implements RecordingFiles {
  /** Writes fail while set ("ENOSPC" by default). */
  fail: "ENOSPC" | "EIO" | null = null;
  /** Only appends fail (the part's file fits, its journal line does not). */
  appendsOnly = false;
  /** Writes refused so far. */
  refused = 0;
  /** Journal reads so far (to see that a journal is read once). */
  journalReads = 0;

  constructor(private readonly real: RecordingFiles = nodeRecordingFiles) {}

  async mkdir(dir: string): Promise<void> {
    if (!this.appendsOnly) this.check();
    await this.real.mkdir(dir);
  }

  exists(path: string): Promise<boolean> {
    return this.real.exists(path);
  }

  async writeDurably(path: string, bytes: Uint8Array, flag: "w" | "a"): Promise<void> {
    if (this.appendsOnly && flag === "w") return this.real.writeDurably(path, bytes, flag);
    if (this.fail && flag === "a" && bytes.length > 1) {
      await this.real.writeDurably(path, bytes.subarray(0, bytes.length >> 1), "a");
    }
    this.check();
    await this.real.writeDurably(path, bytes, flag);
  }

  read(path: string): Promise<Uint8Array | null> {
    if (path.endsWith(".jsonl")) this.journalReads++;
    return this.real.read(path);
  }

  lastByte(path: string): Promise<number | null> {
    return this.real.lastByte(path);
  }

  removeAll(dir: string): Promise<void> {
    return this.real.removeAll(dir);
  }

  private check(): void {
    if (!this.fail) return;
    this.refused++;
    const message = this.fail === "ENOSPC" ? "no space left on device" : "input/output error";
    throw Object.assign(new Error(`${this.fail}: ${message}, write`), {
      code: this.fail,
      errno: this.fail === "ENOSPC" ? -28 : -5,
      syscall: "write",
    });
  }
}
