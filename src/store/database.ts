import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { migrationProvider } from "./migrations/index.ts";
import { PGliteThread } from "./pglite-thread.ts";
import { makeOwnerOnly } from "./private-files.ts";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  kind: "pglite" | "postgres";
  /** The embedded database's thread (kind "pglite"), for the job queue's multi-statement blocks. */
  pglite?: PGliteThread;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://... for a PostgreSQL server; otherwise PGlite in `dataDir` (or memory). */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; omit for an in-memory one (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
}

/** Opens the database (PGlite embedded, or PostgreSQL) and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  let db: Db;
  let kind: Store["kind"];
  let releaseLock = () => {};
  let embedded: PGliteThread | undefined;
  if (options.databaseUrl) {
    kind = "postgres";
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    // Nor may one dropped while kysely holds it (in a transaction, or between checkout and
    // query): pg's client then emits 'error' with no pool listener attached, which ends the
    // process. What ran on it fails with the error; the pool discards the connection.
    pool.on("connect", (client) => {
      client.on("error", () => {});
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    kind = "pglite";
    let dir: string | undefined;
    if (options.dataDir) {
      dir = join(options.dataDir, "pglite");
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      releaseLock = await lockDataFolder(dir);
    }
    try {
      embedded = await PGliteThread.open(dir);
      // The dialect calls only query() and close(), which the thread offers.
      db = new Kysely<Database>({ dialect: new PGliteDialect(embedded as unknown as PGlite) });
    } catch (error) {
      releaseLock();
      throw error;
    }
  }
  try {
    await migrate(db);
    // The database's files: owner-only, whatever the umask was when PGlite made them.
    if (kind === "pglite" && options.dataDir) makeOwnerOnly(join(options.dataDir, "pglite"));
  } catch (error) {
    try {
      await db.destroy();
    } finally {
      releaseLock();
    }
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    db,
    kind,
    ...(embedded ? { pglite: embedded } : {}),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => {
      // The lock goes only once PGlite has flushed and closed its files.
      closing ??= db.destroy().finally(releaseLock);
      return closing;
    },
  };
}

/** Lock files this process holds, by absolute path. */
const heldLocks = new Set<string>();

/**
 * Makes `dir` (a PGlite folder) ours alone: two processes on one PGlite folder corrupt it, and
 * PGlite's own postmaster.pid holds a made-up PID, so it cannot tell. The lock is `amphi.lock`,
 * created exclusively and holding our PID. A lock left by a process that is gone (crash,
 * SIGKILL) is taken over; one held by a live process, or by this process through another open
 * store, is refused. Returns the release function, also run on process exit as a best effort.
 *
 * Limits: liveness is `kill(pid, 0)` on this machine, so a folder shared over the network with
 * another machine is not protected, and a recycled PID keeps a stale lock alive (the error says
 * which file to delete). A lock holding our own PID that this process did not take is stale
 * (a container restarted with the same PID). Two processes taking over the same stale lock in
 * the same instant could both succeed; the re-read after creating narrows that window.
 */
async function lockDataFolder(dir: string): Promise<() => void> {
  const path = resolve(dir, "amphi.lock");
  const mine = `${process.pid}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      if (readLock(path) !== mine) throw new Error(`Lost the race for ${path}; try again.`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw error;
    }
    const holder = await lockHolder(path);
    if (holder !== null && isAlive(holder) && (holder !== process.pid || heldLocks.has(path))) {
      throw new Error(
        `The database folder ${dir} is in use by another Amphi process (PID ${holder}` +
          `${holder === process.pid ? ", this process" : ""}). Stop it first; if no Amphi ` +
          `is running, delete ${path}.`,
      );
    }
    // Stale: its process is gone. Remove it and try again.
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  heldLocks.add(path);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldLocks.delete(path);
    process.off("exit", release);
    try {
      // Never delete a lock someone else has taken since.
      if (readLock(path) === mine) unlinkSync(path);
    } catch {
      // Already gone, or the folder with it: nothing to release.
    }
  };
  process.on("exit", release);
  return release;
}

function readLock(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * The PID in a lock file; null when there is none (gone, or empty because its writer died
 * between creating and writing it). A writer that is alive writes within microseconds, so an
 * empty lock is read again briefly before it counts as stale.
 */
async function lockHolder(path: string): Promise<number | null> {
  for (let tries = 0; tries < 20; tries++) {
    const text = readLock(path);
    if (text === null) return null;
    if (text !== "") {
      const pid = Number(text.trim());
      return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
    }
    await sleep(10);
  }
  return null;
}

/** Whether a process with this PID exists on this machine (EPERM: it does, not ours). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Database migration failed${failed ? ` at ${failed.migrationName}` : ""}`, {
      cause: error,
    });
  }
}
