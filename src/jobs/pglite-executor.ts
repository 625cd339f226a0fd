import { CompiledQuery } from "kysely";
import type { Db } from "../store/database.ts";
import type { PGliteThread } from "../store/pglite-thread.ts";

/**
 * pg-boss's database port on embedded PGlite. PGlite is one connection that kysely lends to one
 * user at a time; every statement of the queue borrows it the same way, so a queue statement
 * never lands inside the app's open transaction (or the reverse). Statements without
 * parameters may be several at once (pg-boss sends `BEGIN; ...; COMMIT;` blocks for its
 * migrations and locks): those take PGlite's simple protocol.
 *
 * Once the queue is stopping, a statement that fails answers "nothing done" instead: pg-boss
 * still sends a few after its stop (a handler that ends records it with `complete()` or
 * `fail()`, neither awaited) and does not catch their rejections, which would then be
 * unhandled as the store closes. "Nothing done" has the statement's own shape: pg-boss's
 * commands on jobs end in `SELECT COUNT(*) FROM results` and read `rows[0].count`, so they get
 * a count of 0; any other statement gets no rows (a fetch: no jobs). What such a statement
 * would have recorded is lost with it; the job it concerned expires and is retried.
 */
export function pgliteExecutor(
  db: Db,
  pglite: PGliteThread,
  stopping: () => boolean,
): { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } {
  const execute = (text: string, values: unknown[]) =>
    db.connection().execute(async (connection) => {
      if (values && values.length > 0) {
        const result = await connection.executeQuery(CompiledQuery.raw(text, values));
        return { rows: [...result.rows] };
      }
      const results = await pglite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    });
  return {
    executeSql: async (text, values) => {
      try {
        return await execute(text, values);
      } catch (error) {
        if (stopping()) return nothingDone(text);
        throw error;
      }
    },
  };
}

const countsItsResults = /select\s+count\(\*\)\s+from\s+results\s*;?\s*$/i;

/** The answer of a statement that did nothing, in the shape pg-boss reads it. */
export function nothingDone(text: string): { rows: unknown[] } {
  return countsItsResults.test(text) ? { rows: [{ count: "0" }] } : { rows: [] };
}
