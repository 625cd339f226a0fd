import { CompiledQuery } from "kysely";
import type { Db } from "../store/database.ts";
import type { PGliteThread } from "../store/pglite-thread.ts";

/**
 * pg-boss's database port on embedded PGlite. PGlite is one connection that kysely lends to one
 * user at a time; every statement of the queue borrows it the same way, so a queue statement
 * never lands inside the app's open transaction (or the reverse). Statements without
 * parameters may be several at once (pg-boss sends `BEGIN; ...; COMMIT;` blocks for its
 * migrations and locks): those take PGlite's simple protocol.
 */
export function pgliteExecutor(
  db: Db,
  pglite: PGliteThread,
): { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    executeSql: (text, values) =>
      db.connection().execute(async (connection) => {
        if (values && values.length > 0) {
          const result = await connection.executeQuery(CompiledQuery.raw(text, values));
          return { rows: [...result.rows] };
        }
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }),
  };
}
