/** Where PostgreSQL's server programs (initdb, postgres) are on this machine. */
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { postgresServerEnv } from "./postgres-server-env.ts";
import { runCommand } from "./run-command.ts";

export interface PostgresBinaries {
  /** The folder holding `initdb` and `postgres`. */
  bin: string;
  /** The major version, e.g. 15. */
  version: number;
}

export class PostgresUnavailableError extends Error {
  override name = "PostgresUnavailableError";
}

export const postgresInstallHint =
  "Install it with `bash scripts/ensure-system-deps.sh` (it runs `apt-get install postgresql` " +
  "on Debian/Ubuntu).";

function hasServerBinaries(dir: string): boolean {
  return ["initdb", "postgres"].every((name) => existsSync(join(dir, name)));
}

async function versionOf(bin: string): Promise<number> {
  const out = await runCommand(join(bin, "postgres"), ["--version"], { env: postgresServerEnv() });
  const match = /(\d+)(?:\.\d+)?/.exec(out.stdout);
  return match ? Number(match[1]) : 0;
}

/**
 * The newest server binaries: Debian keeps them off PATH in /usr/lib/postgresql/N/bin, so
 * those come first, then `initdb` on PATH.
 */
export async function findPostgresBinaries(
  search: { root?: string; path?: string } = {},
): Promise<PostgresBinaries> {
  const root = search.root ?? "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name) && hasServerBinaries(join(root, name, "bin")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) {
      return { bin: join(root, versions[0], "bin"), version: Number.parseInt(versions[0], 10) };
    }
  }
  for (const dir of (search.path ?? process.env.PATH ?? "").split(delimiter)) {
    if (!dir || !existsSync(join(dir, "initdb"))) continue;
    // /usr/local/bin/initdb is often a link into the real bin folder, where postgres lives too.
    const bin = dirname(realpathSync(join(dir, "initdb")));
    if (hasServerBinaries(bin)) return { bin, version: await versionOf(bin) };
  }
  throw new PostgresUnavailableError(
    `PostgreSQL server binaries (initdb, postgres) were not found in ${root}/*/bin or on PATH. ${postgresInstallHint}`,
  );
}
