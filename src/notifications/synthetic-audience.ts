import { sql } from "kysely";
import type { Db } from "../store/database.ts";

export interface SyntheticAudience {
  /** The host everyone follows (an existing account). */
  hostId: string;
  /** Followers to create. */
  count: number;
  /** Prefix of the synthetic ids and handles (letters/digits, at most 4), unique per run. */
  prefix: string;
  /** Every n-th follower gets a push subscription at `${endpointBase}/<accountId>` (0: none). */
  pushEvery?: number;
  push?: { endpointBase: string; p256dh: string; auth: string };
  /** Every n-th follower sets a reminder for this Space (needs `space_reminders`). */
  reminders?: { spaceId: string; every: number };
}

/** Rows per statement: PGlite keeps a statement's work in memory. */
const chunk = 100_000;

/**
 * Seeds a large synthetic audience with set-based inserts (generate_series): accounts that
 * cannot log in, each following `hostId`, a share of them with push subscriptions and
 * reminders. For the golive benchmark and scale tests; a million rows take seconds.
 */
export async function seedSyntheticFollowers(db: Db, audience: SyntheticAudience): Promise<void> {
  if (!/^[a-z0-9]{1,4}$/.test(audience.prefix)) throw new Error("prefix: 1-4 of [a-z0-9]");
  const p = audience.prefix;
  for (let from = 1; from <= audience.count; from += chunk) {
    const to = Math.min(audience.count, from + chunk - 1);
    const id = sql`(${`syn-${p}-`}::text || lpad(i::text, 9, '0'))`;
    await sql`INSERT INTO accounts (id, handle, display_name, password_hash)
      SELECT ${id}, ${`s${p}_`}::text || i, 'Synthetic ' || i, '!'
      FROM generate_series(${from}::int, ${to}::int) AS i
      ON CONFLICT DO NOTHING`.execute(db);
    await sql`INSERT INTO follows (follower_id, followee_id)
      SELECT ${id}, ${audience.hostId}::text FROM generate_series(${from}::int, ${to}::int) AS i
      ON CONFLICT DO NOTHING`.execute(db);
    if (audience.push && audience.pushEvery) {
      await sql`INSERT INTO push_subscriptions (endpoint, account_id, p256dh, auth)
        SELECT ${audience.push.endpointBase}::text || '/' || ${id}, ${id},
          ${audience.push.p256dh}::text, ${audience.push.auth}::text
        FROM generate_series(${from}::int, ${to}::int) AS i
        WHERE i % ${audience.pushEvery}::int = 0
        ON CONFLICT DO NOTHING`.execute(db);
    }
    if (audience.reminders) {
      await sql`INSERT INTO space_reminders (space_id, account_id)
        SELECT ${audience.reminders.spaceId}::text, ${id}
        FROM generate_series(${from}::int, ${to}::int) AS i
        WHERE i % ${audience.reminders.every}::int = 0
        ON CONFLICT DO NOTHING`.execute(db);
    }
  }
  await sql`ANALYZE follows`.execute(db);
}
