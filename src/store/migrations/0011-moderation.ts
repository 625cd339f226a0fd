import { type Kysely, sql } from "kysely";

/**
 * Moderation and the DSA (issue 12, docs/api.md "Moderation and the DSA"):
 * - `account_roles`: moderator, admin, trusted-flagger, granted on the command line;
 * - `reports`: notices (Art. 16) with the hash of their receipt token, queued by priority
 *   (trusted flaggers first) then age;
 * - `statements`: statements of reasons (Art. 17), one per decision and per reversal;
 * - `restrictions`: what a decision took away (a reach limit, a suspension, a removal from a
 *   stage), until when, and when an appeal gave it back;
 * - `appeals` (Art. 20);
 * - `audit_log`: every privileged action, append-only (a trigger refuses UPDATE, DELETE and
 *   TRUNCATE) and hash-chained (src/moderation/hash-chain.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("account_roles")
    .addColumn("account_id", "text", (c) =>
      c.notNull().references("accounts.id").onDelete("cascade"),
    )
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("granted_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("account_roles_pkey", ["account_id", "role"])
    .execute();

  await db.schema
    .createTable("reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("offset_seconds", "double precision")
    .addColumn("moment", "text")
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("ground", "text", (c) => c.notNull())
    .addColumn("explanation", "text", (c) => c.notNull())
    .addColumn("reporter_id", "text", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("reporter_name", "text")
    .addColumn("reporter_email", "text")
    .addColumn("token_hash", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("decided_at", "timestamptz")
    .addColumn("decision_action", "text")
    .addColumn("statement_id", "text")
    .execute();
  await db.schema
    .createIndex("reports_queue")
    .on("reports")
    .columns(["status", "priority", "created_at"])
    .execute();
  await db.schema
    .createIndex("reports_reporter")
    .on("reports")
    .columns(["reporter_id", "created_at"])
    .execute();
  await db.schema.createIndex("reports_created").on("reports").column("created_at").execute();

  await db.schema
    .createTable("statements")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("restrictive", "boolean", (c) => c.notNull())
    .addColumn("report_id", "text")
    .addColumn("reverses_statement_id", "text")
    .addColumn("affected_account_id", "text", (c) =>
      c.references("accounts.id").onDelete("set null"),
    )
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("ground", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("dsa_category", "text", (c) => c.notNull())
    .addColumn("legal_ground", "text")
    .addColumn("terms_clause", "text")
    .addColumn("explanation", "text", (c) => c.notNull())
    .addColumn("facts", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("territorial_scope", "text", (c) => c.notNull())
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz")
    .addColumn("note", "text")
    .addColumn("moderator_id", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("statements_affected")
    .on("statements")
    .columns(["affected_account_id", "created_at"])
    .execute();
  await db.schema.createIndex("statements_created").on("statements").column("created_at").execute();

  await db.schema
    .createTable("restrictions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("statement_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz")
    .addColumn("lifted_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("restrictions_subject")
    .on("restrictions")
    .columns(["kind", "subject_type", "subject_id"])
    .execute();

  await db.schema
    .createTable("appeals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("statement_id", "text", (c) => c.notNull())
    .addColumn("appellant", "text", (c) => c.notNull())
    .addColumn("appellant_account_id", "text", (c) =>
      c.references("accounts.id").onDelete("set null"),
    )
    .addColumn("explanation", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("decided_at", "timestamptz")
    .addColumn("decided_by", "text")
    .addColumn("decision_explanation", "text")
    .addColumn("reversal_statement_id", "text")
    .addUniqueConstraint("appeals_once", ["statement_id", "appellant"])
    .execute();
  await db.schema
    .createIndex("appeals_queue")
    .on("appeals")
    .columns(["status", "created_at"])
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("seq", "bigint", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("audit_log").execute();
  await sql`drop function audit_log_append_only()`.execute(db);
  for (const table of ["appeals", "restrictions", "statements", "reports", "account_roles"]) {
    await db.schema.dropTable(table).execute();
  }
}
