import { sql } from "kysely";
import { prefixTsQuery } from "../domain/discovery/search-terms.ts";
import type { Db } from "../store/database.ts";

/**
 * The indexed search documents. These expressions are those of the GIN indexes of migration
 * 0005-discovery, character for character: the planner uses an expression index only for the
 * same expression.
 */
const spaceVector = sql`(setweight(to_tsvector('simple', title), 'A') ||
    setweight(to_tsvector('simple', description), 'B'))`;
const accountVector = sql`(setweight(to_tsvector('simple', handle), 'A') ||
    setweight(to_tsvector('simple', display_name), 'A'))`;

export interface AccountHit {
  id: string;
  handle: string;
  displayName: string;
}

/**
 * Full-text search with the `simple` configuration (PostgreSQL and PGlite), every term a
 * prefix. Ranked by `ts_rank` (title and names weigh more than descriptions); Spaces that are
 * live come first, then scheduled, then ended ones; cancelled Spaces are never found.
 */
export class SearchQueries {
  constructor(private readonly db: Db) {}

  async spaces(terms: readonly string[], limit: number, offset: number): Promise<string[]> {
    const query = prefixTsQuery(terms);
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM spaces, to_tsquery('simple', ${query}) AS q
      WHERE ${spaceVector} @@ q AND state <> 'cancelled'
      ORDER BY CASE state WHEN 'live' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END,
        ts_rank(${spaceVector}, q) DESC, created_at DESC, id
      LIMIT ${limit} OFFSET ${offset}`.execute(this.db);
    return rows.map((r) => r.id);
  }

  /** Accounts; the one whose handle is exactly the search text comes first. */
  async accounts(
    terms: readonly string[],
    exactHandle: string,
    limit: number,
    offset: number,
  ): Promise<AccountHit[]> {
    const query = prefixTsQuery(terms);
    const { rows } = await sql<{ id: string; handle: string; display_name: string }>`
      SELECT id, handle, display_name FROM accounts, to_tsquery('simple', ${query}) AS q
      WHERE ${accountVector} @@ q
      ORDER BY (handle = ${exactHandle}) DESC, ts_rank(${accountVector}, q) DESC, handle
      LIMIT ${limit} OFFSET ${offset}`.execute(this.db);
    return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name }));
  }
}
