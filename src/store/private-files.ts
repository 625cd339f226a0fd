import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * DATA_DIR holds the embedded database, the ticket signing key and the recordings: only the
 * account running Amphi may read them. `amphi serve` sets the umask to 077, so everything it
 * creates is born owner-only (files 0600, folders 0700); this makes the folder owner-only
 * (and fixes a folder made by an older version, or files made before the umask applied).
 */

/** New files and folders of this process: owner-only. Not allowed in worker threads. */
export function ownerOnlyUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    // A worker thread cannot change the umask; callers also set modes explicitly.
  }
}

/**
 * Creates DATA_DIR owner-only; a folder that was not (made by an older version, or by hand)
 * has everything under it made owner-only once. Later starts find it 0700 and skip the walk
 * (a folder of recordings can hold millions of files).
 */
export function secureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((lstatSync(dir).mode & 0o777) !== 0o700) walk(dir);
}

/** Creates `dir` if needed and makes it, and everything under it, owner-only. */
export function makeOwnerOnly(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  walk(dir);
}

function walk(path: string): void {
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (!info || info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    if ((info.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
    for (const name of readdirSync(path)) walk(join(path, name));
  } else if (info.isFile() && (info.mode & 0o077) !== 0) {
    chmodSync(path, info.mode & 0o700);
  }
}
