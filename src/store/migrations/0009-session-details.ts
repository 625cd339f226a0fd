import { type Kysely, sql } from "kysely";

/**
 * Sessions people can see and end one by one, and the devices they logged in from:
 * - `sessions.id`: a public id for a session (the primary key stays the token's SHA-256, which
 *   must never leave the server), `user_agent` (what the client said it is, cut to 300
 *   characters) and `last_seen_at` (refreshed at most every few minutes);
 * - `known_devices`: the SHA-256 of the "known device" cookie of a browser that logged in to
 *   an account, so that account's lockout does not apply to it (docs/decisions.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("id", "text").execute();
  await db.schema
    .alterTable("sessions")
    .addColumn("user_agent", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("sessions")
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Sessions from before: an id from their hash (a hash of a hash reveals nothing).
  await sql`update sessions set id = substr(md5(token_hash), 1, 24) where id is null`.execute(db);
  await db.schema
    .alterTable("sessions")
    .alterColumn("id", (c) => c.setNotNull())
    .execute();
  await db.schema.createIndex("sessions_id").on("sessions").column("id").unique().execute();

  await db.schema
    .createTable("known_devices")
    .addColumn("account_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("device_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_used_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("known_devices_pkey", ["account_id", "device_hash"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("known_devices").execute();
  await db.schema.dropIndex("sessions_id").execute();
  await db.schema.alterTable("sessions").dropColumn("last_seen_at").execute();
  await db.schema.alterTable("sessions").dropColumn("user_agent").execute();
  await db.schema.alterTable("sessions").dropColumn("id").execute();
}
