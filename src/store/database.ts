import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { migrationProvider } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  kind: "pglite" | "postgres";
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
  if (options.databaseUrl) {
    kind = "postgres";
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    kind = "pglite";
    let dir: string | undefined;
    if (options.dataDir) {
      dir = join(options.dataDir, "pglite");
      mkdirSync(dir, { recursive: true });
    }
    const pglite = dir ? new PGlite(dir) : new PGlite();
    db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    kind,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
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
