import { existsSync, readFileSync } from "node:fs";
import { PostgresUnavailableError, postgresInstallHint } from "./postgres-binaries.ts";

export interface ServerUser {
  uid: number;
  gid: number;
}

/**
 * Who runs the PostgreSQL server: null means "this process's user". Postgres refuses to run
 * as root, so under root the data folder belongs to the `postgres` system user (which the
 * Debian package creates) and the server runs as that user.
 */
export function postgresServerUser(passwdFile = "/etc/passwd"): ServerUser | null {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  const passwd = existsSync(passwdFile) ? readFileSync(passwdFile, "utf8") : "";
  for (const line of passwd.split("\n")) {
    const [name, , uid, gid] = line.split(":");
    if (name === "postgres" && uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  throw new PostgresUnavailableError(
    "Running as root, and PostgreSQL refuses to run as root, but there is no `postgres` system " +
      `user to run it as (the postgresql package creates it). ${postgresInstallHint}`,
  );
}
