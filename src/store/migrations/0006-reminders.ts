import { type Kysely, sql } from "kysely";

/**
 * Reminders: who asked to be reminded of a scheduled Space, and when (24 h before, 1 h before,
 * at the start). The primary key (space_id, account_id) serves the count per Space and the
 * notifier's keyset walk over one Space's reminders; the account index, "my reminders".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("space_reminders")
    .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("at_24h", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("at_1h", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("at_start", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("space_reminders_pk", ["space_id", "account_id"])
    .execute();
  await db.schema
    .createIndex("space_reminders_account")
    .on("space_reminders")
    .column("account_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("space_reminders").execute();
}
