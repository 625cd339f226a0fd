import type {
  Appeal,
  DsaStatement,
  Statement,
  TransparencyReport,
} from "../contracts/moderation-contracts.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { Repositories } from "../store/repositories/index.ts";
import { toAppeal } from "./appeal-view.ts";
import { toDsaStatement } from "./dsa-export.ts";
import type { NoticesService } from "./notices-service.ts";
import { type StatementRecord, toStatement } from "./statement-builder.ts";
import { transparencyReport } from "./transparency.ts";

const maxPeriodMs = 5 * 366 * 86_400_000;

/** Checks a [from, to) period: `to` after `from`, at most five years. */
export function period(from: string, to: string): { from: Date; to: Date } {
  const f = new Date(from);
  const t = new Date(to);
  if (!(t.getTime() > f.getTime()) || t.getTime() - f.getTime() > maxPeriodMs) {
    throw new AmphiError("AMPHI_PERIOD_INVALID", { details: { from, to } });
  }
  return { from: f, to: t };
}

/** Statements of reasons as people read them, the DSA export and the transparency report. */
export class StatementsService {
  constructor(
    private readonly repos: Repositories,
    private readonly notices: NoticesService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async view(s: StatementRecord): Promise<Statement> {
    const a = s.affectedAccountId ? await this.repos.accounts.findById(s.affectedAccountId) : null;
    return toStatement(s, a ? { id: a.id, handle: a.handle, displayName: a.displayName } : null);
  }

  /**
   * One statement for the person it affects, the reporter of its notice (logged in or holding
   * the receipt token) or a moderator; for anyone else it does not exist.
   */
  async read(
    id: string,
    reader: { accountId: string | null; token: string | undefined; moderator: boolean },
  ): Promise<{ statement: Statement; appeal: Appeal | null }> {
    const s = await this.repos.statements.findById(id);
    if (!s) throw new AmphiError("AMPHI_STATEMENT_NOT_FOUND");
    const affected = reader.accountId !== null && reader.accountId === s.affectedAccountId;
    let reporter = false;
    if (!affected && s.reportId) {
      const report = await this.repos.reports.findById(s.reportId);
      reporter = report !== null && this.notices.mayRead(report, { ...reader, moderator: false });
    }
    if (!reader.moderator && !affected && !reporter) {
      throw new AmphiError("AMPHI_STATEMENT_NOT_FOUND");
    }
    const appeals = await this.repos.appeals.ofStatement(s.id);
    const byAffected = appeals.find((a) => a.appellant === "affected") ?? null;
    const byReporter = appeals.find((a) => a.appellant === "reporter") ?? null;
    const appeal = affected ? byAffected : reporter ? byReporter : (byAffected ?? byReporter);
    return { statement: await this.view(s), appeal: appeal ? toAppeal(appeal) : null };
  }

  async mine(accountId: string): Promise<Statement[]> {
    const rows = await this.repos.statements.forAccount(accountId, 200);
    return Promise.all(rows.map((s) => this.view(s)));
  }

  /** The restrictive statements of the period in the Transparency Database's shape; audited. */
  async export(
    from: string,
    to: string,
    format: "json" | "csv",
    moderatorId: string,
  ): Promise<DsaStatement[]> {
    const p = period(from, to);
    const rows = (await this.repos.statements.restrictiveBetween(p.from, p.to)).map(toDsaStatement);
    await this.repos.auditLog.append({
      actor: `account:${moderatorId}`,
      action: "statements.export",
      subject: "statements",
      details: { from: p.from.toISOString(), to: p.to.toISOString(), format, count: rows.length },
      at: this.now(),
    });
    return rows;
  }

  async transparency(from: string, to: string): Promise<TransparencyReport> {
    const p = period(from, to);
    const [notices, appeals] = await Promise.all([
      this.repos.reports.receivedBetween(p.from, p.to),
      this.repos.appeals.lodgedBetween(p.from, p.to),
    ]);
    return transparencyReport({
      ...p,
      notices: notices.map((n) => ({
        category: n.category,
        source: n.source,
        targetType: n.targetType,
        createdAt: n.createdAt,
        decidedAt: n.decidedAt,
        decisionAction: n.decisionAction,
        ground: n.ground,
      })),
      appeals,
      now: this.now(),
    });
  }
}
