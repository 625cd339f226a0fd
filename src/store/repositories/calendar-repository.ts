import type { SpaceState } from "../../domain/spaces/space-lifecycle.ts";
import type { Db } from "../database.ts";

/** What a calendar event of a Space says: the Space, its host, when it last changed state. */
export interface CalendarSpaceRecord {
  id: string;
  title: string;
  description: string;
  state: SpaceState;
  scheduledFor: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
  /** The last change of state (created, started, ended, cancelled). */
  updatedAt: Date;
  host: { handle: string; displayName: string };
}

const date = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

/** Reads for the calendar (.ics) of a Space and of a host: one query each, host joined. */
export class CalendarRepository {
  constructor(private readonly db: Db) {}

  private base() {
    return this.db
      .selectFrom("spaces")
      .innerJoin("accounts", "accounts.id", "spaces.host_id")
      .select([
        "spaces.id",
        "spaces.title",
        "spaces.description",
        "spaces.state",
        "spaces.scheduled_for",
        "spaces.started_at",
        "spaces.ended_at",
        "spaces.created_at",
        "spaces.updated_at",
        "accounts.handle",
        "accounts.display_name",
      ]);
  }

  async space(id: string): Promise<CalendarSpaceRecord | null> {
    const row = await this.base().where("spaces.id", "=", id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /**
   * A host's Spaces for their calendar feed: every scheduled or live one, and those that
   * ended or were cancelled since `since`; latest first, at most `limit`.
   */
  async hostSpaces(hostId: string, since: Date, limit: number): Promise<CalendarSpaceRecord[]> {
    const rows = await this.base()
      .where("spaces.host_id", "=", hostId)
      .where((eb) =>
        eb.or([
          eb("spaces.state", "in", ["scheduled", "live"]),
          eb("spaces.updated_at", ">=", since),
        ]),
      )
      .orderBy("spaces.created_at", "desc")
      .orderBy("spaces.id", "asc")
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }
}

function toRecord(row: {
  id: string;
  title: string;
  description: string;
  state: string;
  scheduled_for: Date | string | null;
  started_at: Date | string | null;
  ended_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  handle: string;
  display_name: string;
}): CalendarSpaceRecord {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    state: row.state as SpaceState,
    scheduledFor: date(row.scheduled_for),
    startedAt: date(row.started_at),
    endedAt: date(row.ended_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    host: { handle: row.handle, displayName: row.display_name },
  };
}
