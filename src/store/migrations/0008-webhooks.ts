import { type Kysely, sql } from "kysely";

/**
 * Outgoing webhooks (docs/api.md, "Webhooks"): a host's endpoints with their signing secrets,
 * the messages owed to each (the exact signed body, kept so that every retry sends the same
 * bytes under the same `webhook-id`), and one row per delivery attempt, the log the host reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("webhook_endpoints")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("events", "text", (c) => c.notNull())
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_success_at", "timestamptz")
    .addColumn("last_failure_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("webhook_endpoints_account")
    .on("webhook_endpoints")
    .column("account_id")
    .execute();
  await db.schema
    .createTable("webhook_messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("endpoint_id", "text", (c) =>
      c.notNull().references("webhook_endpoints.id").onDelete("cascade"),
    )
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("webhook_messages_endpoint")
    .on("webhook_messages")
    .column("endpoint_id")
    .execute();
  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("endpoint_id", "text", (c) =>
      c.notNull().references("webhook_endpoints.id").onDelete("cascade"),
    )
    .addColumn("message_id", "text", (c) =>
      c.notNull().references("webhook_messages.id").onDelete("cascade"),
    )
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("error", "text")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("attempted_at", "timestamptz", (c) => c.notNull())
    .addColumn("next_retry_at", "timestamptz")
    .addUniqueConstraint("webhook_deliveries_attempt", ["message_id", "attempt"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_endpoint")
    .on("webhook_deliveries")
    .columns(["endpoint_id", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("webhook_deliveries").execute();
  await db.schema.dropTable("webhook_messages").execute();
  await db.schema.dropTable("webhook_endpoints").execute();
}
