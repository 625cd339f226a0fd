import { sql } from "kysely";
import type { Db } from "../store/database.ts";
import type { AccountRange, NotificationTemplate } from "./fan-out-repository.ts";
import type { QuietHours } from "./quiet-hours.ts";

/** One inbox entry as stored. */
export interface InboxEntry {
  id: string;
  accountId: string;
  kind: string;
  spaceId: string | null;
  actorId: string | null;
  payload: Record<string, unknown>;
  dedupeKey: string;
  createdAt: Date;
  readAt: Date | null;
}

/** A recipient of one delivery, with what decides whether to push or toast. */
export interface Recipient {
  entry: InboxEntry;
  push: boolean;
  quietHours: QuietHours | null;
}

const entryColumns = [
  "n.id",
  "n.account_id",
  "n.kind",
  "n.space_id",
  "n.actor_id",
  "n.payload",
  "n.dedupe_key",
  "n.created_at",
  "n.read_at",
] as const;
type Unprefixed = (typeof entryColumns)[number] extends `n.${infer C}` ? C : never;

function toEntry(row: {
  id: string | number;
  account_id: string;
  kind: string;
  space_id: string | null;
  actor_id: string | null;
  payload: Record<string, unknown> | string;
  dedupe_key: string;
  created_at: Date;
  read_at: Date | null;
}): InboxEntry {
  return {
    id: String(row.id),
    accountId: row.account_id,
    kind: row.kind,
    spaceId: row.space_id,
    actorId: row.actor_id,
    payload: typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload,
    dedupeKey: row.dedupe_key,
    createdAt: new Date(row.created_at),
    readAt: row.read_at ? new Date(row.read_at) : null,
  };
}

function quietOf(row: {
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string | null;
}): QuietHours | null {
  return row.quiet_start && row.quiet_end && row.time_zone
    ? { start: row.quiet_start, end: row.quiet_end, timeZone: row.time_zone }
    : null;
}

/**
 * The inbox: one row per notification per person, unique per (dedupe key, account) so a
 * retried job never notifies twice. Newest first is id order (ids come from a sequence).
 */
export class InboxRepository {
  constructor(private readonly db: Db) {}

  /** One entry; null when this person already has it (same dedupe key). */
  async insertOne(accountId: string, template: NotificationTemplate): Promise<InboxEntry | null> {
    const row = await this.db
      .insertInto("notifications")
      .values({
        account_id: accountId,
        kind: template.kind,
        space_id: template.spaceId,
        actor_id: template.actorId,
        payload: JSON.stringify(template.payload),
        dedupe_key: template.dedupeKey,
      })
      .onConflict((oc) => oc.columns(["dedupe_key", "account_id"]).doNothing())
      .returning([...entryColumns.map((c) => c.slice(2) as Unprefixed)])
      .executeTakeFirst();
    return row ? toEntry(row) : null;
  }

  /** A page of someone's inbox, newest first, after the cursor (an id) when given. */
  async page(accountId: string, cursor: string | null, limit: number): Promise<InboxEntry[]> {
    let query = this.db
      .selectFrom("notifications as n")
      .select([...entryColumns])
      .where("n.account_id", "=", accountId)
      .orderBy("n.id", "desc")
      .limit(limit);
    if (cursor !== null) query = query.where(sql<boolean>`n.id < ${cursor}::bigint`);
    return (await query.execute()).map(toEntry);
  }

  async unread(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("account_id", "=", accountId)
      .where("read_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Marks some (or all) of someone's entries read; others' ids are ignored. */
  async markRead(accountId: string, ids: string[] | "all", at: Date): Promise<void> {
    let query = this.db
      .updateTable("notifications")
      .set({ read_at: at })
      .where("account_id", "=", accountId)
      .where("read_at", "is", null);
    if (ids !== "all") query = query.where(sql<boolean>`id = ANY(${ids}::bigint[])`);
    await query.execute();
  }

  /**
   * The entries with this key of the given people (or of a range of them), with their
   * push preference and quiet hours: whom a delivery may toast or push.
   */
  async recipients(
    dedupeKey: string,
    who: { accountIds: string[] } | AccountRange,
    onlyPushable = false,
  ): Promise<Recipient[]> {
    let query = this.db
      .selectFrom("notifications as n")
      .leftJoin("notification_preferences as p", "p.account_id", "n.account_id")
      .select([...entryColumns, "p.push", "p.quiet_start", "p.quiet_end", "p.time_zone"])
      .where("n.dedupe_key", "=", dedupeKey);
    if ("accountIds" in who) {
      if (who.accountIds.length === 0) return [];
      query = query.where("n.account_id", "in", who.accountIds);
    } else {
      query = query.where("n.account_id", ">", who.lo);
      if (who.hi !== null) query = query.where("n.account_id", "<=", who.hi);
    }
    if (onlyPushable) {
      query = query
        .where("n.pushed_at", "is", null)
        .where((eb) => eb.or([eb("p.push", "is", null), eb("p.push", "=", true)]))
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom("push_subscriptions as s")
              .select("s.endpoint")
              .whereRef("s.account_id", "=", "n.account_id"),
          ),
        );
    }
    const rows = await query.execute();
    return rows.map((row) => ({
      entry: toEntry(row),
      push: row.push ?? true,
      quietHours: quietOf(row),
    }));
  }

  /**
   * Claims entries for a push (at most once each): returns the ids not pushed before. A
   * delivery retried after this point pushes nothing again.
   */
  async claimPushes(ids: string[], at: Date): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .updateTable("notifications")
      .set({ pushed_at: at })
      .where(sql<boolean>`id = ANY(${ids}::bigint[])`)
      .where("pushed_at", "is", null)
      .returning("id")
      .execute();
    return new Set(rows.map((r) => String(r.id)));
  }

  /** Entries with this key (the bench's and tests' count of what a fan-out wrote). */
  async countByKey(dedupeKey: string): Promise<number> {
    const row = await this.db
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("dedupe_key", "=", dedupeKey)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
