import { join } from "node:path";
import { postgresServerEnv } from "./postgres-server-env.ts";
import type { ServerUser } from "./postgres-server-user.ts";
import { runCommand } from "./run-command.ts";

/**
 * How Amphi's tools initialise a cluster: the `postgres` superuser, trust authentication
 * (the servers listen on 127.0.0.1 only), UTF-8 in the C locale (the same sort order on every
 * machine).
 */
export const initdbOptions: readonly string[] = [
  "--username",
  "postgres",
  "--auth",
  "trust",
  "--encoding",
  "UTF8",
  "--locale",
  "C",
  "--no-sync",
  "--no-instructions",
  // 1 MB WAL segments instead of 16: a smaller cluster on disk (and to copy).
  "--wal-segsize=1",
];

/**
 * Runs initdb into `dataDir` as `owner` (the server's user; see postgresServerUser). The
 * folder holding `dataDir` must be writable by that user; `cwd` too, as initdb checks it.
 */
export async function initdb(options: {
  bin: string;
  dataDir: string;
  owner: ServerUser | null;
  cwd: string;
}): Promise<void> {
  await runCommand(join(options.bin, "initdb"), ["--pgdata", options.dataDir, ...initdbOptions], {
    ...(options.owner ?? {}),
    cwd: options.cwd,
    env: postgresServerEnv(),
  });
}
