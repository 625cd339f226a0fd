/**
 * Running Debian's nginx in the foreground from a prefix folder of its own, as the edge tests
 * and `amphi cluster` do. As root, nginx's workers run as nobody: the prefix must let them in.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { findSystemBinary } from "./system-binary.ts";

/** Debian's nginx lives in /usr/sbin, which is not on every PATH. */
export const nginxBinary = findSystemBinary("nginx") ?? "nginx";

/** The workers' `user` when nginx starts as root; undefined otherwise (workers stay ours). */
export function nginxWorkerUser(): string | undefined {
  return process.getuid?.() === 0 ? "nobody nogroup" : undefined;
}

/** Creates `prefix` so the workers (nobody, when started as root) can reach the cache in it. */
export function prepareNginxPrefix(prefix: string): void {
  mkdirSync(prefix, { recursive: true });
  chmodSync(prefix, 0o755);
}

/**
 * nginx's arguments: its prefix, the configuration, an early error log (before the
 * configuration's own is open; the default /var/log/nginx may not be writable), and the
 * foreground, so the process we start is the master.
 */
export function nginxArgs(options: {
  prefix: string;
  confFile: string;
  errorLog: string;
}): string[] {
  return [
    "-p",
    options.prefix,
    "-e",
    options.errorLog,
    "-c",
    options.confFile,
    "-g",
    "daemon off;",
  ];
}
