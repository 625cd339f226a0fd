import { type Kysely, sql } from "kysely";

/**
 * Recordings in the database (a fleet on PostgreSQL): one row per recording with its init
 * segment and the epoch of the media node writing it (the fencing token), one row per
 * finished part with its bytes (~2 KB per 0.5 s at 32 kbit/s: ~14 MB per hour).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("recordings")
    .addColumn("space_id", "text", (c) =>
      c.primaryKey().references("spaces.id").onDelete("cascade"),
    )
    .addColumn("owner_epoch", "bigint", (c) => c.notNull())
    .addColumn("init", "bytea", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("recording_parts")
    .addColumn("space_id", "text", (c) =>
      c.notNull().references("recordings.space_id").onDelete("cascade"),
    )
    .addColumn("msn", "bigint", (c) => c.notNull())
    .addColumn("part_index", "integer", (c) => c.notNull())
    .addColumn("duration", "double precision", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("discontinuity", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("epoch", "bigint", (c) => c.notNull())
    .addColumn("bytes", "bytea", (c) => c.notNull())
    .addPrimaryKeyConstraint("recording_parts_pkey", ["space_id", "msn", "part_index"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("recording_parts").execute();
  await db.schema.dropTable("recordings").execute();
}
