import type { StatementRecord } from "../../moderation/statement-builder.ts";
import type { Db } from "../database.ts";
import type { StatementsTable } from "../schema.ts";

type Row = { [K in keyof StatementsTable]: unknown };

function toRecord(row: Row): StatementRecord {
  return {
    id: row.id as string,
    kind: row.kind as StatementRecord["kind"],
    action: row.action as StatementRecord["action"],
    restrictive: Boolean(row.restrictive),
    reportId: row.report_id as string | null,
    reversesStatementId: row.reverses_statement_id as string | null,
    affectedAccountId: row.affected_account_id as string | null,
    subjectType: row.subject_type as StatementRecord["subjectType"],
    subjectId: row.subject_id as string,
    ground: row.ground as StatementRecord["ground"],
    category: row.category as StatementRecord["category"],
    dsaCategory: row.dsa_category as StatementRecord["dsaCategory"],
    legalGround: row.legal_ground as string | null,
    termsClause: row.terms_clause as string | null,
    explanation: row.explanation as string,
    facts: row.facts as string,
    source: row.source as StatementRecord["source"],
    territorialScope: JSON.parse(row.territorial_scope as string) as string[],
    startsAt: new Date(row.starts_at as string),
    endsAt: row.ends_at === null ? null : new Date(row.ends_at as string),
    note: row.note as string | null,
    moderatorId: row.moderator_id as string | null,
    createdAt: new Date(row.created_at as string),
  };
}

/** Statements of reasons (DSA Art. 17): written once, never changed. */
export class StatementsRepository {
  constructor(private readonly db: Db) {}

  async create(s: StatementRecord): Promise<void> {
    await this.db
      .insertInto("statements")
      .values({
        id: s.id,
        kind: s.kind,
        action: s.action,
        restrictive: s.restrictive,
        report_id: s.reportId,
        reverses_statement_id: s.reversesStatementId,
        affected_account_id: s.affectedAccountId,
        subject_type: s.subjectType,
        subject_id: s.subjectId,
        ground: s.ground,
        category: s.category,
        dsa_category: s.dsaCategory,
        legal_ground: s.legalGround,
        terms_clause: s.termsClause,
        explanation: s.explanation,
        facts: s.facts,
        source: s.source,
        territorial_scope: JSON.stringify(s.territorialScope),
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        note: s.note,
        moderator_id: s.moderatorId,
        created_at: s.createdAt,
      })
      .execute();
  }

  async findById(id: string): Promise<StatementRecord | null> {
    const row = await this.db
      .selectFrom("statements")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** The decisions taken on one notice, oldest first. */
  async forReport(reportId: string): Promise<StatementRecord[]> {
    const rows = await this.db
      .selectFrom("statements")
      .selectAll()
      .where("report_id", "=", reportId)
      .where("kind", "=", "decision")
      .orderBy("created_at", "asc")
      .orderBy("id")
      .execute();
    return rows.map(toRecord);
  }

  async forAccount(accountId: string, limit: number): Promise<StatementRecord[]> {
    const rows = await this.db
      .selectFrom("statements")
      .selectAll()
      .where("affected_account_id", "=", accountId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  /** Restrictive decisions made in [from, to), oldest first: the DSA export. */
  async restrictiveBetween(from: Date, to: Date): Promise<StatementRecord[]> {
    const rows = await this.db
      .selectFrom("statements")
      .selectAll()
      .where("restrictive", "=", true)
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .orderBy("created_at", "asc")
      .orderBy("id")
      .execute();
    return rows.map(toRecord);
  }
}
