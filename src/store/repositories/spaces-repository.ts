import type { Selectable } from "kysely";
import type { SpaceState } from "../../domain/spaces/space-lifecycle.ts";
import type { SpeakerRequestPolicy } from "../../domain/spaces/stage.ts";
import type { Db } from "../database.ts";
import type { SpacesTable } from "../schema.ts";

export interface SpaceRecord {
  id: string;
  hostId: string;
  title: string;
  description: string;
  state: SpaceState;
  scheduledFor: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  recording: boolean;
  speakerPolicy: SpeakerRequestPolicy;
  /** Listeners must be logged in to get a ticket. */
  requireLogin: boolean;
  /** Stored when the Space ends. */
  audience: { peakListeners: number; uniqueListeners: number } | null;
  /** The recording was deleted: by its host, or by the retention sweep. */
  recordingDeleted?: { at: Date; by: RecordingDeletedBy } | null;
  createdAt: Date;
}

export type RecordingDeletedBy = "host" | "retention";

export type NewSpace = Omit<
  SpaceRecord,
  "createdAt" | "startedAt" | "endedAt" | "audience" | "recordingDeleted"
>;

const date = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

function toRecord(row: Selectable<SpacesTable>): SpaceRecord {
  return {
    id: row.id,
    hostId: row.host_id,
    title: row.title,
    description: row.description,
    state: row.state as SpaceState,
    scheduledFor: date(row.scheduled_for),
    startedAt: date(row.started_at),
    endedAt: date(row.ended_at),
    recording: row.recording,
    speakerPolicy: row.speaker_policy as SpeakerRequestPolicy,
    requireLogin: row.require_login,
    audience:
      row.peak_listeners === null || row.unique_listeners === null
        ? null
        : { peakListeners: row.peak_listeners, uniqueListeners: row.unique_listeners },
    recordingDeleted:
      row.recording_deleted_at === null || row.recording_deleted_at === undefined
        ? null
        : {
            at: new Date(row.recording_deleted_at),
            by: row.recording_deleted_by === "host" ? "host" : "retention",
          },
    createdAt: new Date(row.created_at),
  };
}

export class SpacesRepository {
  constructor(private readonly db: Db) {}

  async create(space: NewSpace): Promise<SpaceRecord> {
    const row = await this.db
      .insertInto("spaces")
      .values({
        id: space.id,
        host_id: space.hostId,
        title: space.title,
        description: space.description,
        state: space.state,
        scheduled_for: space.scheduledFor,
        recording: space.recording,
        speaker_policy: space.speakerPolicy,
        require_login: space.requireLogin,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async findById(id: string): Promise<SpaceRecord | null> {
    const row = await this.db
      .selectFrom("spaces")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Reads the Space and locks its row until the surrounding transaction ends. */
  async lockById(id: string): Promise<SpaceRecord | null> {
    const row = await this.db
      .selectFrom("spaces")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /**
   * How many live Spaces the account hosts, with its account row locked until the surrounding
   * transaction ends, so two go-lives of one host at once count one after the other.
   */
  async lockAndCountLive(hostId: string): Promise<number> {
    await this.db
      .selectFrom("accounts")
      .select("id")
      .where("id", "=", hostId)
      .forUpdate()
      .execute();
    const row = await this.db
      .selectFrom("spaces")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("host_id", "=", hostId)
      .where("state", "=", "live")
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setState(
    id: string,
    state: SpaceState,
    at: Date,
    column: "started_at" | "ended_at" | null,
  ): Promise<SpaceRecord> {
    const row = await this.db
      .updateTable("spaces")
      .set({ state, updated_at: at, ...(column ? { [column]: at } : {}) })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** Stores the audience figures of an ended Space (the larger figure wins on a repeat). */
  async saveAudience(
    id: string,
    audience: { peakListeners: number; uniqueListeners: number },
  ): Promise<void> {
    await this.db
      .updateTable("spaces")
      .set((eb) => ({
        peak_listeners: eb.fn("greatest", [
          eb.fn.coalesce("peak_listeners", eb.val(0)),
          eb.val(audience.peakListeners),
        ]),
        unique_listeners: eb.fn("greatest", [
          eb.fn.coalesce("unique_listeners", eb.val(0)),
          eb.val(audience.uniqueListeners),
        ]),
      }))
      .where("id", "=", id)
      .execute();
  }

  /** Discovery: live Spaces newest first, scheduled ones soonest first. */
  async list(options: {
    state: "live" | "scheduled" | "ended";
    hostId?: string | undefined;
    limit: number;
  }): Promise<SpaceRecord[]> {
    let q = this.db.selectFrom("spaces").selectAll().where("state", "=", options.state);
    if (options.hostId) q = q.where("host_id", "=", options.hostId);
    if (options.state === "scheduled") {
      q = q.orderBy("scheduled_for", "asc").orderBy("created_at", "asc");
    } else if (options.state === "live") {
      q = q.orderBy("started_at", "desc");
    } else {
      q = q.orderBy("ended_at", "desc");
    }
    const rows = await q.orderBy("id", "asc").limit(options.limit).execute();
    return rows.map(toRecord);
  }

  /** Marks the Space's recording deleted (its replay then answers 410). */
  async markRecordingDeleted(id: string, by: RecordingDeletedBy, at: Date): Promise<void> {
    await this.db
      .updateTable("spaces")
      .set({ recording_deleted_at: at, recording_deleted_by: by })
      .where("id", "=", id)
      .where("recording_deleted_at", "is", null)
      .execute();
  }

  /**
   * Ids of recorded Spaces that ended before `cutoff` and whose recording is not deleted yet
   * (recordings past their retention).
   */
  async recordedEndedBefore(cutoff: Date, limit = 1000): Promise<string[]> {
    const rows = await this.db
      .selectFrom("spaces")
      .select("id")
      .where("state", "=", "ended")
      .where("recording", "=", true)
      .where("ended_at", "<", cutoff)
      .where("recording_deleted_at", "is", null)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }
}
