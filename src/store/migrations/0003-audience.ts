import type { Kysely } from "kysely";

/**
 * Admission and audience: whether listeners must log in, and the audience figures stored
 * when a Space ends (peak concurrent listeners, distinct listeners overall).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("spaces")
    .addColumn("require_login", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable("spaces").addColumn("peak_listeners", "integer").execute();
  await db.schema.alterTable("spaces").addColumn("unique_listeners", "integer").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ["unique_listeners", "peak_listeners", "require_login"]) {
    await db.schema.alterTable("spaces").dropColumn(column).execute();
  }
}
