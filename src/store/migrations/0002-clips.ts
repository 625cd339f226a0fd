import { type Kysely, sql } from "kysely";

/** Clips: a shareable range (up to 60 s) of a Space's recording. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("clips")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id").onDelete("cascade"))
    .addColumn("created_by", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("start_seconds", "double precision", (c) => c.notNull())
    .addColumn("end_seconds", "double precision", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("clips_space").on("clips").column("space_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("clips").execute();
}
