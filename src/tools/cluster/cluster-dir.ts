/**
 * The cluster's folder: DIR/logs, DIR/data (shared by the nodes), one folder per member. Under
 * root, PostgreSQL (as `postgres`) and nginx's workers (as `nobody`) work in folders inside
 * DIR, so DIR and every folder above it must let other users through (the x bit).
 */
import { chmodSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ClusterError } from "./cluster-error.ts";

/** Paths land in nginx's configuration verbatim (like `amphi edge nginx-conf` requires). */
const UNSAFE_PATH = /[\s;{}"'$\\#]/;

export function clusterDirPath(dir: string): string {
  const path = resolve(dir);
  if (UNSAFE_PATH.test(path)) {
    throw new ClusterError(
      `--dir must be a path without spaces, quotes or ; { } $ # \\, got ${path}`,
    );
  }
  return path;
}

export function prepareClusterDir(dir: string): void {
  mkdirSync(`${dir}/logs`, { recursive: true });
  if (process.getuid?.() !== 0) return;
  // DIR itself is ours: let other users through it (not list it; secrets.json is 0600 anyway).
  chmodSync(dir, statSync(dir).mode | 0o011);
  for (let folder = dirname(dir); ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) {
      throw new ClusterError(
        `${folder} is closed to other users, so PostgreSQL (running as postgres) and nginx's ` +
          `workers (nobody) could not reach ${dir}: pick a --dir under /tmp or /var/tmp, or ` +
          `chmod o+x ${folder}`,
      );
    }
    if (folder === dirname(folder)) break;
  }
}
