import type { Db } from "../database.ts";

/** An appeal (DSA Art. 20) as stored. */
export interface AppealRecord {
  id: string;
  statementId: string;
  appellant: "affected" | "reporter";
  appellantAccountId: string | null;
  explanation: string;
  status: "pending" | "upheld" | "reversed";
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionExplanation: string | null;
  reversalStatementId: string | null;
}

function toRecord(row: {
  id: string;
  statement_id: string;
  appellant: string;
  appellant_account_id: string | null;
  explanation: string;
  status: string;
  created_at: Date | string;
  decided_at: Date | string | null;
  decided_by: string | null;
  decision_explanation: string | null;
  reversal_statement_id: string | null;
}): AppealRecord {
  return {
    id: row.id,
    statementId: row.statement_id,
    appellant: row.appellant as AppealRecord["appellant"],
    appellantAccountId: row.appellant_account_id,
    explanation: row.explanation,
    status: row.status as AppealRecord["status"],
    createdAt: new Date(row.created_at),
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
    decidedBy: row.decided_by,
    decisionExplanation: row.decision_explanation,
    reversalStatementId: row.reversal_statement_id,
  };
}

export class AppealsRepository {
  constructor(private readonly db: Db) {}

  /** Lodges an appeal; null when this appellant already appealed this statement. */
  async create(
    a: Pick<
      AppealRecord,
      "id" | "statementId" | "appellant" | "appellantAccountId" | "explanation" | "createdAt"
    >,
  ): Promise<AppealRecord | null> {
    const row = await this.db
      .insertInto("appeals")
      .values({
        id: a.id,
        statement_id: a.statementId,
        appellant: a.appellant,
        appellant_account_id: a.appellantAccountId,
        explanation: a.explanation,
        created_at: a.createdAt,
      })
      .onConflict((oc) => oc.columns(["statement_id", "appellant"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** The appeals lodged against one statement (at most one per appellant). */
  async ofStatement(statementId: string): Promise<AppealRecord[]> {
    const rows = await this.db
      .selectFrom("appeals")
      .selectAll()
      .where("statement_id", "=", statementId)
      .orderBy("created_at", "asc")
      .execute();
    return rows.map(toRecord);
  }

  async lockById(id: string): Promise<AppealRecord | null> {
    const row = await this.db
      .selectFrom("appeals")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async findById(id: string): Promise<AppealRecord | null> {
    const row = await this.db
      .selectFrom("appeals")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Pending appeals oldest first; decided ones newest first. */
  async queue(status: "pending" | "decided", limit: number): Promise<AppealRecord[]> {
    let query = this.db.selectFrom("appeals").selectAll();
    query =
      status === "pending"
        ? query.where("status", "=", "pending").orderBy("created_at", "asc")
        : query.where("status", "!=", "pending").orderBy("decided_at", "desc");
    return (await query.orderBy("id").limit(limit).execute()).map(toRecord);
  }

  async decide(
    id: string,
    d: {
      status: "upheld" | "reversed";
      at: Date;
      by: string;
      explanation: string;
      reversalStatementId: string | null;
    },
  ): Promise<AppealRecord> {
    const row = await this.db
      .updateTable("appeals")
      .set({
        status: d.status,
        decided_at: d.at,
        decided_by: d.by,
        decision_explanation: d.explanation,
        reversal_statement_id: d.reversalStatementId,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** Appeals lodged in [from, to), for the transparency report. */
  async lodgedBetween(from: Date, to: Date): Promise<AppealRecord[]> {
    const rows = await this.db
      .selectFrom("appeals")
      .selectAll()
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .execute();
    return rows.map(toRecord);
  }
}
