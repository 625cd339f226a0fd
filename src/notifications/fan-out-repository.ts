import { sql } from "kysely";
import type { Db } from "../store/database.ts";
import { type AudienceSource, sourceQuery } from "./audience-sources.ts";

/** One inbox entry, as every recipient of a fan-out gets it. */
export interface NotificationTemplate {
  kind: string;
  spaceId: string | null;
  /** Who caused it; people who muted them are left out (and they are never told themselves). */
  actorId: string | null;
  payload: Record<string, unknown>;
  dedupeKey: string;
}

/** Account ids after `lo` up to `hi` (null: no upper bound). */
export interface AccountRange {
  lo: string;
  hi: string | null;
}

export interface FanOutProgress {
  dedupeKey: string;
  audience: number;
  spreadSeconds: number;
  batches: number | null;
  batchesWritten: number;
  written: number;
  startedAt: Date;
  plannedAt: Date | null;
  /** When the last batch was written (all of them are in inboxes). */
  completedAt: Date | null;
}

/**
 * The write side of a fan-out: counting and paging the audience by keyset, writing one
 * range into inboxes with one statement, and the progress rows that make it observable.
 */
export class FanOutRepository {
  constructor(private readonly db: Db) {}

  /** People the source holds (before mutes). */
  async count(source: AudienceSource): Promise<number> {
    const { rows } = await sql<{ n: string | number }>`
      SELECT count(*) AS n FROM (${sourceQuery(source)}) a`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /** People the source holds who did not mute `actorId`. */
  async countUnmuted(source: AudienceSource, actorId: string | null): Promise<number> {
    const { rows } = await sql<{ n: string | number }>`
      SELECT count(*) AS n FROM (${sourceQuery(source)}) a WHERE ${unmuted(actorId)}`.execute(
      this.db,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The last account id of the page of `size` after `lo`, or null when fewer than `size` are
   * left (the last page then runs to the end). One index scan of `size` entries, no rows sent.
   */
  async boundaryAfter(source: AudienceSource, lo: string, size: number): Promise<string | null> {
    const { rows } = await sql<{ account_id: string }>`
      SELECT account_id FROM (${sourceQuery(source)}) a WHERE account_id > ${lo}
      ORDER BY account_id OFFSET ${size - 1} LIMIT 1`.execute(this.db);
    return rows[0]?.account_id ?? null;
  }

  /**
   * Writes the inbox entries of one range with one INSERT ... SELECT (no per-row round trip),
   * skipping people who already have this notification and people who muted the actor, and
   * records the batch as written, in one transaction: a retried batch writes nothing again.
   * Returns the number of new entries, or null when this batch was written before.
   */
  async writeBatch(
    source: AudienceSource,
    template: NotificationTemplate,
    range: AccountRange,
    batchNo: number,
  ): Promise<number | null> {
    return this.db.transaction().execute(async (trx) => {
      if (await batchWritten(trx, template.dedupeKey, batchNo)) return null;
      const { rows } = await sql<{ n: string | number }>`
        WITH written AS (
          INSERT INTO notifications (account_id, kind, space_id, actor_id, payload, dedupe_key)
          SELECT a.account_id, ${template.kind}::text, ${template.spaceId}::text,
            ${template.actorId}::text, ${JSON.stringify(template.payload)}::jsonb,
            ${template.dedupeKey}::text
          FROM (${sourceQuery(source)}) a
          WHERE a.account_id > ${range.lo}
            ${range.hi === null ? sql`` : sql`AND a.account_id <= ${range.hi}`}
            AND ${unmuted(template.actorId)}
          ON CONFLICT (dedupe_key, account_id) DO NOTHING
          RETURNING 1
        )
        SELECT count(*) AS n FROM written`.execute(trx);
      const written = Number(rows[0]?.n ?? 0);
      await trx
        .insertInto("notification_fanout_batches")
        .values({ dedupe_key: template.dedupeKey, batch_no: batchNo, written })
        .execute();
      return written;
    });
  }

  /**
   * `writeBatch` for embedded PGlite, whose one connection takes one statement at a time: the
   * range is written `chunkSize` people per statement (each an INSERT ... SELECT of the next
   * `chunkSize` by keyset, ON CONFLICT DO NOTHING), so other queries (a request's, the job
   * queue's polls) get the connection every few milliseconds instead of waiting for the whole
   * range. No transaction holds the connection across the chunks: a retried batch
   * rewrites nothing (the unique key), and the batch row, written last, makes a later retry do
   * nothing at all. Returns the entries new in this run, or null when the batch was done before.
   */
  async writeBatchInChunks(
    source: AudienceSource,
    template: NotificationTemplate,
    range: AccountRange,
    batchNo: number,
    chunkSize: number,
  ): Promise<number | null> {
    if (await batchWritten(this.db, template.dedupeKey, batchNo)) return null;
    let lo = range.lo;
    let written = 0;
    for (;;) {
      const { rows } = await sql<{
        last: string | null;
        seen: string | number;
        n: string | number;
      }>`
        WITH page AS (
          SELECT a.account_id FROM (${sourceQuery(source)}) a
          WHERE a.account_id > ${lo}
            ${range.hi === null ? sql`` : sql`AND a.account_id <= ${range.hi}`}
          ORDER BY a.account_id LIMIT ${chunkSize}
        ), written AS (
          INSERT INTO notifications (account_id, kind, space_id, actor_id, payload, dedupe_key)
          SELECT a.account_id, ${template.kind}::text, ${template.spaceId}::text,
            ${template.actorId}::text, ${JSON.stringify(template.payload)}::jsonb,
            ${template.dedupeKey}::text
          FROM page a
          WHERE ${unmuted(template.actorId)}
          ON CONFLICT (dedupe_key, account_id) DO NOTHING
          RETURNING 1
        )
        SELECT (SELECT max(account_id) FROM page) AS last,
          (SELECT count(*) FROM page) AS seen,
          (SELECT count(*) FROM written) AS n`.execute(this.db);
      const row = rows[0];
      written += Number(row?.n ?? 0);
      if (!row?.last || Number(row.seen) < chunkSize) break;
      lo = row.last;
    }
    await this.db
      .insertInto("notification_fanout_batches")
      .values({ dedupe_key: template.dedupeKey, batch_no: batchNo, written })
      .onConflict((oc) => oc.columns(["dedupe_key", "batch_no"]).doNothing())
      .execute();
    return written;
  }

  /** Records a fan-out's start; false when it was started before (a repeated event). */
  async start(row: {
    dedupeKey: string;
    kind: string;
    spaceId: string | null;
    audience: number;
    spreadSeconds: number;
  }): Promise<boolean> {
    const inserted = await this.db
      .insertInto("notification_fanouts")
      .values({
        dedupe_key: row.dedupeKey,
        kind: row.kind,
        space_id: row.spaceId,
        audience: row.audience,
        spread_seconds: row.spreadSeconds,
      })
      .onConflict((oc) => oc.column("dedupe_key").doNothing())
      .returning("dedupe_key")
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async find(
    dedupeKey: string,
  ): Promise<{ audience: number; spreadSeconds: number; batches: number | null } | null> {
    const row = await this.db
      .selectFrom("notification_fanouts")
      .select(["audience", "spread_seconds", "batches"])
      .where("dedupe_key", "=", dedupeKey)
      .executeTakeFirst();
    return row
      ? { audience: row.audience, spreadSeconds: row.spread_seconds, batches: row.batches }
      : null;
  }

  /** Every batch is enqueued: their number is known. */
  async planned(dedupeKey: string, batches: number): Promise<void> {
    await this.db
      .updateTable("notification_fanouts")
      .set({ batches, planned_at: new Date() })
      .where("dedupe_key", "=", dedupeKey)
      .execute();
  }

  /** Rows with this key, and how many of them repeat a person (0: the unique key holds). */
  async rows(dedupeKey: string): Promise<{ rows: number; duplicates: number }> {
    const { rows } = await sql<{ n: string | number; people: string | number }>`
      SELECT count(*) AS n, count(DISTINCT account_id) AS people
      FROM notifications WHERE dedupe_key = ${dedupeKey}`.execute(this.db);
    const n = Number(rows[0]?.n ?? 0);
    return { rows: n, duplicates: n - Number(rows[0]?.people ?? 0) };
  }

  /**
   * Waits until a fan-out has written every batch (polling its progress); resolves with the
   * progress, or null when it did not finish within `timeoutMs`. `onProgress` sees every poll
   * (e.g. to note when `plannedAt` appears: every batch enqueued).
   */
  async waitFor(
    dedupeKey: string,
    options: {
      timeoutMs: number;
      pollMs?: number;
      onProgress?: (p: FanOutProgress | null) => void;
    },
  ): Promise<FanOutProgress | null> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const progress = await this.progress(dedupeKey);
      options.onProgress?.(progress);
      if (progress?.completedAt) return progress;
      if (Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
    }
  }

  async progress(dedupeKey: string): Promise<FanOutProgress | null> {
    const row = await this.db
      .selectFrom("notification_fanouts as f")
      .select((eb) => [
        "f.dedupe_key",
        "f.audience",
        "f.spread_seconds",
        "f.batches",
        "f.created_at",
        "f.planned_at",
        eb
          .selectFrom("notification_fanout_batches as b")
          .whereRef("b.dedupe_key", "=", "f.dedupe_key")
          .select((e) => e.fn.countAll<string | number>().as("n"))
          .as("batches_written"),
        eb
          .selectFrom("notification_fanout_batches as b")
          .whereRef("b.dedupe_key", "=", "f.dedupe_key")
          .select((e) => e.fn.sum<string | number>("b.written").as("n"))
          .as("written"),
        eb
          .selectFrom("notification_fanout_batches as b")
          .whereRef("b.dedupe_key", "=", "f.dedupe_key")
          .select((e) => e.fn.max("b.done_at").as("t"))
          .as("last_done"),
      ])
      .where("f.dedupe_key", "=", dedupeKey)
      .executeTakeFirst();
    if (!row) return null;
    const batchesWritten = Number(row.batches_written ?? 0);
    const complete = row.batches !== null && batchesWritten >= row.batches;
    return {
      dedupeKey: row.dedupe_key,
      audience: row.audience,
      spreadSeconds: row.spread_seconds,
      batches: row.batches,
      batchesWritten,
      written: Number(row.written ?? 0),
      startedAt: row.created_at,
      plannedAt: row.planned_at,
      completedAt: complete && row.last_done ? new Date(row.last_done as Date) : null,
    };
  }
}

function unmuted(actorId: string | null) {
  if (actorId === null) return sql<boolean>`TRUE`;
  return sql<boolean>`a.account_id <> ${actorId}
    AND NOT EXISTS (SELECT 1 FROM notification_mutes m
      WHERE m.account_id = a.account_id AND m.muted_id = ${actorId})`;
}

/** Whether this batch of the fan-out was recorded as written (a retry then writes nothing). */
async function batchWritten(
  db: Pick<Db, "selectFrom">,
  dedupeKey: string,
  batchNo: number,
): Promise<boolean> {
  const done = await db
    .selectFrom("notification_fanout_batches")
    .select("batch_no")
    .where("dedupe_key", "=", dedupeKey)
    .where("batch_no", "=", batchNo)
    .executeTakeFirst();
  return done !== undefined;
}
