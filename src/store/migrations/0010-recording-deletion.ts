import type { Kysely } from "kysely";

/**
 * Deleted recordings: when and by whom (`host`: the host deleted it; `retention`: the
 * retention sweep did), so its replay answers 410 with a reason and the sweep does not
 * select it again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("spaces").addColumn("recording_deleted_at", "timestamptz").execute();
  await db.schema.alterTable("spaces").addColumn("recording_deleted_by", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ["recording_deleted_by", "recording_deleted_at"]) {
    await db.schema.alterTable("spaces").dropColumn(column).execute();
  }
}
