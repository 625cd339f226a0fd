import { type Kysely, sql } from "kysely";

/**
 * `account_blocks`: the people a host blocked from their Spaces (no ticket, no request to
 * speak, no reaction in any Space they host). Primary key (blocker, blocked) for "is X
 * blocked by this host" and the host's list; an index on the blocked person for erasure.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("account_blocks")
    .addColumn("blocker_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("blocked_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("account_blocks_pkey", ["blocker_id", "blocked_id"])
    .execute();
  await db.schema
    .createIndex("account_blocks_blocked")
    .on("account_blocks")
    .column("blocked_id")
    .execute();
}
