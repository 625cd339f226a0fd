import type {
  Appeal,
  AppealDecisionInput,
  ModerationAppeal,
  Statement,
} from "../contracts/moderation-contracts.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { Db } from "../store/database.ts";
import type { AppealRecord } from "../store/repositories/appeals-repository.ts";
import { type Repositories, repositories } from "../store/repositories/index.ts";
import { mayAppeal, mayDecideAppeal } from "./appeal-rules.ts";
import { toAppeal } from "./appeal-view.ts";
import type { DecisionsService } from "./decisions-service.ts";
import { newModerationId } from "./moderation-ids.ts";
import type { ModerationInbox } from "./moderation-inbox.ts";
import type { NoticesService } from "./notices-service.ts";
import { reversalStatement, type StatementRecord } from "./statement-builder.ts";
import type { StatementsService } from "./statements-service.ts";

/**
 * Appeals (DSA Art. 20): the person a decision affects, or the reporter of a dismissed notice,
 * appeals within six months; another moderator upholds or reverses. A reversal gives back what
 * the decision took (a reach limit or suspension lifted, a removed speaker let back in; an
 * ended Space stays ended) under a statement of its own.
 */
export class AppealsService {
  private readonly repos: Repositories;

  constructor(
    private readonly deps: {
      db: Db;
      spaces: SpacesService;
      notices: NoticesService;
      statements: StatementsService;
      decisions: DecisionsService;
      inbox: ModerationInbox;
      now?: () => Date;
    },
  ) {
    this.repos = repositories(deps.db);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async appeal(
    statementId: string,
    who: { accountId: string | null; token: string | undefined },
    explanation: string,
  ): Promise<Appeal> {
    const statement = await this.repos.statements.findById(statementId);
    if (!statement) throw new AmphiError("AMPHI_STATEMENT_NOT_FOUND");
    const report = statement.reportId
      ? await this.repos.reports.findById(statement.reportId)
      : null;
    const isReporter =
      report !== null &&
      this.deps.notices.mayRead(report, {
        accountId: who.accountId,
        token: who.token,
        moderator: false,
      });
    const verdict = mayAppeal(
      {
        action: statement.action,
        affectedAccountId: statement.affectedAccountId,
        createdAt: statement.createdAt,
        kind: statement.kind,
        accountId: who.accountId,
        isReporter,
      },
      this.now(),
    );
    if (!verdict.ok) {
      // Someone with no claim on it learns nothing about it.
      const affected = who.accountId !== null && who.accountId === statement.affectedAccountId;
      if (verdict.code === "AMPHI_APPEAL_NOT_ALLOWED" && !isReporter && !affected) {
        throw new AmphiError("AMPHI_STATEMENT_NOT_FOUND");
      }
      throw new AmphiError(verdict.code);
    }
    const created = await this.repos.appeals.create({
      id: newModerationId("ap"),
      statementId,
      appellant: verdict.appellant,
      appellantAccountId: who.accountId,
      explanation,
      createdAt: this.now(),
    });
    if (!created) throw new AmphiError("AMPHI_APPEAL_EXISTS");
    return toAppeal(created);
  }

  async queue(status: "pending" | "decided", limit: number): Promise<ModerationAppeal[]> {
    const appeals = await this.repos.appeals.queue(status, limit);
    return Promise.all(appeals.map((a) => this.view(a)));
  }

  async decide(
    appealId: string,
    moderatorId: string,
    input: AppealDecisionInput,
  ): Promise<{ appeal: ModerationAppeal; reversal: Statement | null }> {
    const now = this.now();
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const r = repositories(trx);
      const appeal = await r.appeals.lockById(appealId);
      if (!appeal) throw new AmphiError("AMPHI_APPEAL_NOT_FOUND");
      if (appeal.status !== "pending") throw new AmphiError("AMPHI_APPEAL_ALREADY_DECIDED");
      const original = await r.statements.findById(appeal.statementId);
      if (!original) throw new AmphiError("AMPHI_STATEMENT_NOT_FOUND");
      if (!mayDecideAppeal(original.moderatorId, moderatorId)) {
        throw new AmphiError("AMPHI_APPEAL_SAME_MODERATOR");
      }
      let reversal: StatementRecord | null = null;
      if (input.outcome === "reversed") {
        reversal = reversalStatement({
          id: newModerationId("st"),
          original,
          explanation: input.explanation,
          moderatorId,
          now,
        });
        await r.statements.create(reversal);
        await r.restrictions.liftForStatement(original.id, now);
        // A dismissal reversed: the notice goes back to the queue to be decided again.
        if (original.action === "dismiss" && original.reportId) {
          await r.reports.reopen(original.reportId);
        }
      }
      const decided = await r.appeals.decide(appeal.id, {
        status: input.outcome,
        at: now,
        by: moderatorId,
        explanation: input.explanation,
        reversalStatementId: reversal?.id ?? null,
      });
      await r.auditLog.append({
        actor: `account:${moderatorId}`,
        action: "appeal.decide",
        subject: `appeal:${appeal.id}`,
        details: {
          outcome: input.outcome,
          statementId: original.id,
          reversalStatementId: reversal?.id ?? null,
        },
        at: now,
      });
      return { decided, original, reversal };
    });
    const { decided, original, reversal } = outcome;
    if (reversal) await this.restore(original);
    const tell = decided.appellantAccountId;
    if (tell) {
      await this.deps.inbox.statement(tell, reversal?.id ?? original.id, `appeal_${input.outcome}`);
    }
    if (reversal && original.affectedAccountId && original.affectedAccountId !== tell) {
      await this.deps.inbox.statement(original.affectedAccountId, reversal.id, "reversal");
    }
    return {
      appeal: await this.view(decided),
      reversal: reversal ? await this.deps.statements.view(reversal) : null,
    };
  }

  /** What a reversal gives back outside the database rows. */
  private async restore(original: StatementRecord): Promise<void> {
    if (original.action === "remove_speaker" && original.affectedAccountId) {
      await this.deps.spaces
        .readmit(original.subjectId, original.affectedAccountId)
        .catch(() => false);
    }
    await this.deps.decisions.afterChange(original);
  }

  private async view(a: AppealRecord): Promise<ModerationAppeal> {
    const statement = await this.repos.statements.findById(a.statementId);
    if (!statement) throw new AmphiError("AMPHI_STATEMENT_NOT_FOUND");
    return { ...toAppeal(a), statement: await this.deps.statements.view(statement) };
  }
}
