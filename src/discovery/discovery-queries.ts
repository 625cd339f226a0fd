import { sql } from "kysely";
import type { Db } from "../store/database.ts";

/** A scheduled Space as upcoming lists rank it. */
export interface UpcomingRow {
  id: string;
  hostId: string;
  scheduledFor: Date | null;
}

/** A clip with the Space it was cut from, as a host's profile lists it. */
export interface HostClipRow {
  id: string;
  spaceId: string;
  spaceTitle: string;
  createdBy: string;
  startSeconds: number;
  endSeconds: number;
  createdAt: Date;
}

const date = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

/**
 * The reads behind discovery, each one index-backed (migration 0005-discovery):
 * `follows` by its primary key (follower_id, followee_id), live and scheduled Spaces by
 * partial indexes on (host_id, ...). Run `EXPLAIN` on them in
 * test/integration/discovery-queries.test.ts.
 */
export class DiscoveryQueries {
  constructor(private readonly db: Db) {}

  /**
   * Live Spaces hosted by accounts `followerId` follows, newest first: fan-out on read. A
   * nested loop over the follower's follows (primary key) probing `spaces_live_by_host`.
   */
  async liveFollowed(followerId: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("follows as f")
      .innerJoin("spaces as s", "s.host_id", "f.followee_id")
      .select("s.id")
      .where("f.follower_id", "=", followerId)
      .where("s.state", "=", "live")
      .orderBy("s.started_at", "desc")
      .orderBy("s.id")
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Scheduled Spaces of followed hosts starting after `since` (or unplanned), soonest first. */
  async upcomingFollowed(followerId: string, since: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("follows as f")
      .innerJoin("spaces as s", "s.host_id", "f.followee_id")
      .select("s.id")
      .where("f.follower_id", "=", followerId)
      .where("s.state", "=", "scheduled")
      .where((eb) => eb.or([eb("s.scheduled_for", ">=", since), eb("s.scheduled_for", "is", null)]))
      .orderBy(sql`s.scheduled_for asc nulls first`)
      .orderBy("s.id")
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Every live Space (up to `limit`, newest first): the candidates for "popular live". */
  async live(limit: number): Promise<{ id: string; startedAt: Date | null }[]> {
    const rows = await this.db
      .selectFrom("spaces")
      .select(["id", "started_at"])
      .where("state", "=", "live")
      .orderBy("started_at", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, startedAt: date(r.started_at) }));
  }

  /**
   * Scheduled Spaces starting after `since`, soonest first, and unplanned ones created after
   * `createdSince`: the candidates for "popular upcoming".
   */
  async upcoming(since: Date, createdSince: Date, limit: number): Promise<UpcomingRow[]> {
    const rows = await this.db
      .selectFrom("spaces")
      .select(["id", "host_id", "scheduled_for"])
      .where("state", "=", "scheduled")
      .where((eb) =>
        eb.or([
          eb("scheduled_for", ">=", since),
          eb.and([eb("scheduled_for", "is", null), eb("created_at", ">=", createdSince)]),
        ]),
      )
      .orderBy(sql`scheduled_for asc nulls first`)
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      hostId: r.host_id,
      scheduledFor: date(r.scheduled_for),
    }));
  }

  /** Recorded Spaces that ended after `since`, most recent first. */
  async recentlyEnded(since: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("spaces")
      .select("id")
      .where("state", "=", "ended")
      .where("recording", "=", true)
      .where("ended_at", ">=", since)
      .orderBy("ended_at", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** A host's live Spaces (newest first) or scheduled ones (soonest first). */
  async hosted(hostId: string, state: "live" | "scheduled", limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("spaces")
      .select("id")
      .where("host_id", "=", hostId)
      .where("state", "=", state)
      .orderBy(state === "live" ? sql`started_at desc` : sql`scheduled_for asc nulls first`)
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** A host's ended Spaces, most recently ended first. */
  async endedBy(hostId: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("spaces")
      .select("id")
      .where("host_id", "=", hostId)
      .where("state", "=", "ended")
      .orderBy("ended_at", "desc")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Hosts of Spaces created after `since` (any state): the candidates for popular accounts. */
  async recentHosts(since: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("spaces")
      .select("host_id")
      .where("created_at", ">=", since)
      .groupBy("host_id")
      .orderBy(sql`max(created_at)`, "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => r.host_id);
  }

  /**
   * Followers of each account (an index-only count per account on `follows_followee`).
   * Accounts nobody follows are absent from the map.
   */
  async followerCounts(accountIds: readonly string[]): Promise<Map<string, number>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("follows")
      .select(["followee_id", (eb) => eb.fn.countAll<string | number>().as("n")])
      .where("followee_id", "in", [...accountIds])
      .groupBy("followee_id")
      .execute();
    return new Map(rows.map((r) => [r.followee_id, Number(r.n)]));
  }

  /** Clips of the host's recorded Spaces that ended after `endedAfter`, newest first. */
  async clipsOfHost(hostId: string, endedAfter: Date, limit: number): Promise<HostClipRow[]> {
    const rows = await this.db
      .selectFrom("clips as c")
      .innerJoin("spaces as s", "s.id", "c.space_id")
      .select([
        "c.id",
        "c.space_id",
        "s.title",
        "c.created_by",
        "c.start_seconds",
        "c.end_seconds",
        "c.created_at",
      ])
      .where("s.host_id", "=", hostId)
      .where("s.state", "=", "ended")
      .where("s.recording", "=", true)
      .where("s.ended_at", ">", endedAfter)
      .orderBy("c.created_at", "desc")
      .orderBy("c.id")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      spaceId: r.space_id,
      spaceTitle: r.title,
      createdBy: r.created_by,
      startSeconds: Number(r.start_seconds),
      endSeconds: Number(r.end_seconds),
      createdAt: new Date(r.created_at),
    }));
  }
}
