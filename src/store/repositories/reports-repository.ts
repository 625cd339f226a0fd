import type { ReportCategory, ReportTargetType } from "../../contracts/moderation-contracts.ts";
import type { Db } from "../database.ts";
import type { ReportsTable } from "../schema.ts";

/** A notice as stored (the receipt token only as its hash). */
export interface ReportRecord {
  id: string;
  targetType: ReportTargetType;
  targetId: string;
  offsetSeconds: number | null;
  moment: "live" | "replay" | null;
  category: ReportCategory;
  ground: "illegal" | "terms";
  explanation: string;
  reporterId: string | null;
  reporterName: string | null;
  reporterEmail: string | null;
  tokenHash: string;
  source: "SOURCE_ARTICLE_16" | "SOURCE_TRUSTED_FLAGGER";
  priority: number;
  status: "open" | "decided";
  createdAt: Date;
  decidedAt: Date | null;
  decisionAction: string | null;
  statementId: string | null;
}

type Row = { [K in keyof ReportsTable]: unknown };

function toRecord(row: Row): ReportRecord {
  const date = (v: unknown) => (v === null ? null : new Date(v as string));
  return {
    id: row.id as string,
    targetType: row.target_type as ReportTargetType,
    targetId: row.target_id as string,
    offsetSeconds: row.offset_seconds === null ? null : Number(row.offset_seconds),
    moment: row.moment as ReportRecord["moment"],
    category: row.category as ReportCategory,
    ground: row.ground as ReportRecord["ground"],
    explanation: row.explanation as string,
    reporterId: row.reporter_id as string | null,
    reporterName: row.reporter_name as string | null,
    reporterEmail: row.reporter_email as string | null,
    tokenHash: row.token_hash as string,
    source: row.source as ReportRecord["source"],
    priority: Number(row.priority),
    status: row.status as ReportRecord["status"],
    createdAt: new Date(row.created_at as string),
    decidedAt: date(row.decided_at),
    decisionAction: row.decision_action as string | null,
    statementId: row.statement_id as string | null,
  };
}

export type NewReport = Omit<
  ReportRecord,
  "status" | "decidedAt" | "decisionAction" | "statementId" | "createdAt"
> & { createdAt: Date };

/** Notices (DSA Art. 16) and the queue moderators work. */
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  async create(report: NewReport): Promise<ReportRecord> {
    const row = await this.db
      .insertInto("reports")
      .values({
        id: report.id,
        target_type: report.targetType,
        target_id: report.targetId,
        offset_seconds: report.offsetSeconds,
        moment: report.moment,
        category: report.category,
        ground: report.ground,
        explanation: report.explanation,
        reporter_id: report.reporterId,
        reporter_name: report.reporterName,
        reporter_email: report.reporterEmail,
        token_hash: report.tokenHash,
        source: report.source,
        priority: report.priority,
        created_at: report.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async findById(id: string): Promise<ReportRecord | null> {
    const row = await this.db
      .selectFrom("reports")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** The same, locked until the transaction ends (deciding it). */
  async lockById(id: string): Promise<ReportRecord | null> {
    const row = await this.db
      .selectFrom("reports")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Open notices by priority (trusted flaggers first) then age; decided ones, newest first. */
  async queue(status: "open" | "decided", limit: number): Promise<ReportRecord[]> {
    let query = this.db.selectFrom("reports").selectAll().where("status", "=", status);
    query =
      status === "open"
        ? query.orderBy("priority", "asc").orderBy("created_at", "asc").orderBy("id")
        : query.orderBy("decided_at", "desc").orderBy("id");
    return (await query.limit(limit).execute()).map(toRecord);
  }

  async byReporter(reporterId: string, limit: number): Promise<ReportRecord[]> {
    const rows = await this.db
      .selectFrom("reports")
      .selectAll()
      .where("reporter_id", "=", reporterId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async markDecided(
    id: string,
    decision: { action: string; statementId: string; at: Date },
  ): Promise<void> {
    await this.db
      .updateTable("reports")
      .set({
        status: "decided",
        decided_at: decision.at,
        decision_action: decision.action,
        statement_id: decision.statementId,
      })
      .where("id", "=", id)
      .execute();
  }

  /** A dismissal reversed on appeal: the notice is open again, to be decided anew. */
  async reopen(id: string): Promise<void> {
    await this.db
      .updateTable("reports")
      .set({ status: "open", decided_at: null, decision_action: null, statement_id: null })
      .where("id", "=", id)
      .execute();
  }

  /** Notices received in [from, to), for the transparency report. */
  async receivedBetween(from: Date, to: Date): Promise<ReportRecord[]> {
    const rows = await this.db
      .selectFrom("reports")
      .selectAll()
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .execute();
    return rows.map(toRecord);
  }
}
