import { type RawBuilder, sql } from "kysely";

/**
 * Who a fan-out tells, as SQL: each source is a query of `account_id`s that the fan-out pages
 * through by keyset (`account_id > last`) and writes into inboxes range by range, set-based.
 */
export type AudienceSource =
  /** A host's followers: "@host is live". */
  | { kind: "followers"; hostId: string }
  /** People who asked for this reminder of a Space (`space_reminders`, migration 0006). */
  | { kind: "reminders"; spaceId: string; at: ReminderMoment }
  /** People who set a reminder for the Space or listened to it logged in: "its replay is ready". */
  | { kind: "replay"; spaceId: string };

export type ReminderMoment = "24h" | "1h" | "start";

const reminderColumn = { "24h": "at_24h", "1h": "at_1h", start: "at_start" } as const;

/** `SELECT account_id FROM ...` for a source. */
export function sourceQuery(source: AudienceSource): RawBuilder<{ account_id: string }> {
  switch (source.kind) {
    case "followers":
      return sql`SELECT follower_id AS account_id FROM follows WHERE followee_id = ${source.hostId}`;
    case "reminders":
      return sql`SELECT account_id FROM space_reminders WHERE space_id = ${source.spaceId} AND ${sql.ref(reminderColumn[source.at])}`;
    case "replay":
      return sql`SELECT account_id FROM space_reminders WHERE space_id = ${source.spaceId}
        UNION SELECT account_id FROM space_listeners WHERE space_id = ${source.spaceId}`;
  }
}
