import { type Kysely, sql } from "kysely";

/**
 * Notifications (docs/architecture.md, "Notifications"): the inbox, preferences, muted hosts,
 * Web Push subscriptions, the server's own keys (VAPID, shared by every API node), the
 * logged-in listeners of each Space (for "its replay is ready") and the progress of each
 * fan-out (one row per batch written, so a retried batch never counts twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("notifications")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("space_id", "text")
    .addColumn("actor_id", "text")
    .addColumn("payload", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("dedupe_key", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .addColumn("pushed_at", "timestamptz")
    // (dedupe_key, account_id), not the other way round: the same uniqueness, and the
    // delivery of one batch reads its recipients as a range of one key.
    .addUniqueConstraint("notifications_once", ["dedupe_key", "account_id"])
    .execute();
  await sql`CREATE INDEX notifications_inbox ON notifications (account_id, created_at DESC, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX notifications_unread ON notifications (account_id) WHERE read_at IS NULL`.execute(
    db,
  );
  // Fan-out pages through a host's followers in follower order.
  await sql`CREATE INDEX IF NOT EXISTS follows_followee_follower ON follows (followee_id, follower_id)`.execute(
    db,
  );

  await db.schema
    .createTable("notification_preferences")
    .addColumn("account_id", "text", (c) =>
      c.primaryKey().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("push", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("quiet_start", "text")
    .addColumn("quiet_end", "text")
    .addColumn("time_zone", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("notification_mutes")
    .addColumn("account_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("muted_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("notification_mutes_pk", ["account_id", "muted_id"])
    .execute();

  await db.schema
    .createTable("push_subscriptions")
    .addColumn("endpoint", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("p256dh", "text", (c) => c.notNull())
    .addColumn("auth", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("push_subscriptions_account")
    .on("push_subscriptions")
    .column("account_id")
    .execute();

  await db.schema
    .createTable("server_keys")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("space_listeners")
    .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("first_seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("space_listeners_pk", ["space_id", "account_id"])
    .execute();

  await db.schema
    .createTable("notification_fanouts")
    .addColumn("dedupe_key", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("space_id", "text")
    .addColumn("audience", "integer", (c) => c.notNull())
    .addColumn("batches", "integer")
    .addColumn("spread_seconds", "double precision", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("planned_at", "timestamptz")
    .execute();
  await db.schema
    .createTable("notification_fanout_batches")
    .addColumn("dedupe_key", "text", (c) =>
      c.notNull().references("notification_fanouts.dedupe_key").onDelete("cascade"),
    )
    .addColumn("batch_no", "integer", (c) => c.notNull())
    .addColumn("written", "integer", (c) => c.notNull())
    .addColumn("done_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("notification_fanout_batches_pk", ["dedupe_key", "batch_no"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "notification_fanout_batches",
    "notification_fanouts",
    "space_listeners",
    "server_keys",
    "push_subscriptions",
    "notification_mutes",
    "notification_preferences",
    "notifications",
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await sql`DROP INDEX IF EXISTS follows_followee_follower`.execute(db);
}
