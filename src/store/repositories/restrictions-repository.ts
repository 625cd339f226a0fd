import { sql } from "kysely";
import type { Db } from "../database.ts";

/** What a decision took away: a reach limit, a suspension, a removal from a stage. */
export interface RestrictionRecord {
  id: string;
  statementId: string;
  kind: "limit_reach" | "suspend" | "remove_speaker";
  subjectType: "space" | "clip" | "account";
  subjectId: string;
  startsAt: Date;
  endsAt: Date | null;
  liftedAt: Date | null;
}

function toRecord(row: {
  id: string;
  statement_id: string;
  kind: string;
  subject_type: string;
  subject_id: string;
  starts_at: Date | string;
  ends_at: Date | string | null;
  lifted_at: Date | string | null;
}): RestrictionRecord {
  return {
    id: row.id,
    statementId: row.statement_id,
    kind: row.kind as RestrictionRecord["kind"],
    subjectType: row.subject_type as RestrictionRecord["subjectType"],
    subjectId: row.subject_id,
    startsAt: new Date(row.starts_at),
    endsAt: row.ends_at === null ? null : new Date(row.ends_at),
    liftedAt: row.lifted_at === null ? null : new Date(row.lifted_at),
  };
}

export class RestrictionsRepository {
  constructor(private readonly db: Db) {}

  async create(r: Omit<RestrictionRecord, "liftedAt">): Promise<void> {
    await this.db
      .insertInto("restrictions")
      .values({
        id: r.id,
        statement_id: r.statementId,
        kind: r.kind,
        subject_type: r.subjectType,
        subject_id: r.subjectId,
        starts_at: r.startsAt,
        ends_at: r.endsAt,
      })
      .execute();
  }

  /** Restrictions in force at `now` (of one kind, or all). */
  async active(now: Date, kind?: RestrictionRecord["kind"]): Promise<RestrictionRecord[]> {
    let query = this.db
      .selectFrom("restrictions")
      .selectAll()
      .where("lifted_at", "is", null)
      .where((eb) => eb.or([eb("ends_at", "is", null), eb("ends_at", ">", now)]));
    if (kind) query = query.where("kind", "=", kind);
    return (await query.execute()).map(toRecord);
  }

  /** The suspension of an account in force at `now`, the longest first. */
  async activeSuspension(accountId: string, now: Date): Promise<RestrictionRecord | null> {
    const row = await this.db
      .selectFrom("restrictions")
      .selectAll()
      .where("kind", "=", "suspend")
      .where("subject_type", "=", "account")
      .where("subject_id", "=", accountId)
      .where("lifted_at", "is", null)
      .where((eb) => eb.or([eb("ends_at", "is", null), eb("ends_at", ">", now)]))
      // For good (no end) first, then the one that ends last.
      .orderBy(sql`ends_at desc nulls first`)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Lifts what a statement imposed (a reversal); how many restrictions. */
  async liftForStatement(statementId: string, at: Date): Promise<RestrictionRecord[]> {
    const rows = await this.db
      .updateTable("restrictions")
      .set({ lifted_at: at })
      .where("statement_id", "=", statementId)
      .where("lifted_at", "is", null)
      .returningAll()
      .execute();
    return rows.map(toRecord);
  }
}
