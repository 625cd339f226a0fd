import { mkdir, open, readFile, rm, stat } from "node:fs/promises";

/**
 * The file system as the file recording store uses it: a port, so a test can put a failing
 * disk (ENOSPC, EIO) under a real store without root tricks (fault injection at the seam;
 * test/support/failing-recording-files.ts). `nodeRecordingFiles` is node:fs.
 */
export interface RecordingFiles {
  mkdir(dir: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Writes (`w`) or appends (`a`) the bytes, then fsyncs the file. */
  writeDurably(path: string, bytes: Uint8Array, flag: "w" | "a"): Promise<void>;
  /** The file's bytes, or null when it does not exist. */
  read(path: string): Promise<Uint8Array | null>;
  /** The file's last byte, or null when it is empty or does not exist. */
  lastByte(path: string): Promise<number | null>;
  /** Removes a folder and everything in it (nothing when it does not exist). */
  removeAll(dir: string): Promise<void>;
}

export const nodeRecordingFiles: RecordingFiles = {
  async mkdir(dir) {
    // Owner-only, like all of DATA_DIR (src/store/private-files.ts).
    await mkdir(dir, { recursive: true, mode: 0o700 });
  },
  async exists(path) {
    return (await stat(path).catch(() => null)) !== null;
  },
  async writeDurably(path, bytes, flag) {
    const handle = await open(path, flag, 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async read(path) {
    return readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
  },
  async lastByte(path) {
    const handle = await open(path, "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (!handle) return null;
    try {
      const { size } = await handle.stat();
      if (size === 0) return null;
      const one = Buffer.alloc(1);
      await handle.read(one, 0, 1, size - 1);
      return one[0] ?? null;
    } finally {
      await handle.close();
    }
  },
  async removeAll(dir) {
    // Two deletions at once (or one racing a write) see each other's files vanish: rm then
    // fails with ENOTEMPTY unless it retries.
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  },
};
