import { type Kysely, sql } from "kysely";

/**
 * Discovery: the indexes that keep "Live now", "Upcoming" and search off sequential scans.
 *
 * - Live and scheduled Spaces by host (partial indexes): a follower's "Live now" is a join of
 *   their follows (the primary key starts with follower_id) with the live Spaces of those
 *   hosts, computed on read; nothing is written per follower when a Space goes live.
 * - Ended Spaces by host and end, for profiles and recent replays.
 * - Full-text search over Spaces (title, description) and accounts (handle, display name):
 *   GIN indexes over `to_tsvector('simple', ...)` expressions. `simple` (no stemming, no stop
 *   words) exists on PostgreSQL and PGlite alike, suits names and handles in any language, and
 *   prefix queries (`amp:*`) find "Amphi". The expressions must stay identical to those in
 *   src/discovery/search-queries.ts, or the planner cannot use the indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX spaces_live_by_host ON spaces (host_id, started_at) WHERE state = 'live'`.execute(
    db,
  );
  await sql`CREATE INDEX spaces_scheduled_by_host ON spaces (host_id, scheduled_for) WHERE state = 'scheduled'`.execute(
    db,
  );
  await sql`CREATE INDEX spaces_ended_by_host ON spaces (host_id, ended_at) WHERE state = 'ended'`.execute(
    db,
  );
  await sql`CREATE INDEX spaces_ended_recent ON spaces (ended_at) WHERE state = 'ended' AND recording`.execute(
    db,
  );
  await sql`CREATE INDEX spaces_search ON spaces USING gin ((
    setweight(to_tsvector('simple', title), 'A') ||
    setweight(to_tsvector('simple', description), 'B')))`.execute(db);
  await sql`CREATE INDEX accounts_search ON accounts USING gin ((
    setweight(to_tsvector('simple', handle), 'A') ||
    setweight(to_tsvector('simple', display_name), 'A')))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    "accounts_search",
    "spaces_search",
    "spaces_ended_recent",
    "spaces_ended_by_host",
    "spaces_scheduled_by_host",
    "spaces_live_by_host",
  ]) {
    await db.schema.dropIndex(index).execute();
  }
}
