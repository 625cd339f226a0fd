import type { AccountsService } from "../accounts/accounts-service.ts";
import type {
  DecisionInput,
  ModerationAction,
  ModerationReport,
  Statement,
} from "../contracts/moderation-contracts.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { Db } from "../store/database.ts";
import { type Repositories, repositories } from "../store/repositories/index.ts";
import type { ReportRecord } from "../store/repositories/reports-repository.ts";
import { applicability, mayDecideAgain, type SubjectFacts } from "./decision-rules.ts";
import { newModerationId } from "./moderation-ids.ts";
import type { ModerationInbox } from "./moderation-inbox.ts";
import type { NoticesService } from "./notices-service.ts";
import type { ReachLimits } from "./reach-limits.ts";
import { decisionStatement, type StatementRecord, toStatement } from "./statement-builder.ts";

export interface DecisionDeps {
  db: Db;
  spaces: SpacesService;
  accounts: AccountsService;
  notices: NoticesService;
  reach: ReachLimits;
  inbox: ModerationInbox;
  /** A change discovery and the embed pages must hear of (a reach limit set or lifted). */
  reachChanged: (spaceIds: readonly string[]) => void;
  now?: () => Date;
}

/**
 * A moderator's decision on a notice: check it fits, carry it out (end the Space, take the
 * speaker off the stage, end the sessions of a suspended account), then store the statement
 * of reasons, the restriction, the report's outcome and the audit row in one transaction,
 * and tell the affected person and the reporter.
 */
export class DecisionsService {
  private readonly repos: Repositories;

  constructor(private readonly deps: DecisionDeps) {
    this.repos = repositories(deps.db);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async decide(
    reportId: string,
    moderatorId: string,
    input: DecisionInput,
  ): Promise<{ report: ModerationReport; statement: Statement }> {
    const report = await this.repos.reports.findById(reportId);
    if (!report) throw new AmphiError("AMPHI_REPORT_NOT_FOUND");
    if (input.action !== "dismiss" && !input.groundReference?.trim()) {
      throw new AmphiError("AMPHI_GROUND_REFERENCE_REQUIRED");
    }
    const facts = await this.subjectFacts(report);
    const speakerId = await this.speakerOf(input, facts);
    const fit = applicability(input.action, facts, speakerId);
    if (!fit.ok) {
      throw new AmphiError("AMPHI_ACTION_NOT_APPLICABLE", {
        message: notApplicableText[fit.reason],
        details: { reason: fit.reason, action: input.action },
      });
    }
    const next = { action: input.action, affectedAccountId: fit.affectedAccountId };
    const taken = async (r: Repositories) =>
      (await r.statements.forReport(report.id)).map((t) => ({
        action: t.action as ModerationAction,
        affectedAccountId: t.affectedAccountId,
      }));
    if (report.status !== "open" && !mayDecideAgain(await taken(this.repos), next)) {
      throw new AmphiError("AMPHI_REPORT_ALREADY_DECIDED");
    }
    const now = this.now();
    const statement = decisionStatement({
      id: newModerationId("st"),
      notice: report,
      decision: input,
      affectedAccountId: fit.affectedAccountId,
      moderatorId,
      now,
    });
    // The effects first: a decision that cannot be carried out leaves nothing behind.
    await this.carryOut(statement, facts, input);
    await this.deps.db.transaction().execute(async (trx) => {
      const r = repositories(trx);
      const locked = await r.reports.lockById(report.id);
      const first = locked?.status === "open";
      if (!locked || (!first && !mayDecideAgain(await taken(r), next))) {
        throw new AmphiError("AMPHI_REPORT_ALREADY_DECIDED");
      }
      await r.statements.create(statement);
      const kind = statement.action;
      if (kind === "limit_reach" || kind === "suspend" || kind === "remove_speaker") {
        await r.restrictions.create({
          id: newModerationId("rs"),
          statementId: statement.id,
          kind,
          subjectType: kind === "suspend" ? "account" : statement.subjectType,
          subjectId: kind === "suspend" ? (statement.affectedAccountId ?? "") : statement.subjectId,
          startsAt: statement.startsAt,
          endsAt: statement.endsAt,
        });
      }
      // The notice's decision (its time to action, its status) is the first one.
      if (first) {
        await r.reports.markDecided(report.id, {
          action: statement.action,
          statementId: statement.id,
          at: now,
        });
      }
      await r.auditLog.append({
        actor: `account:${moderatorId}`,
        action: "report.decide",
        subject: `report:${report.id}`,
        details: {
          action: statement.action,
          statementId: statement.id,
          affectedAccountId: statement.affectedAccountId,
          endsAt: statement.endsAt?.toISOString() ?? null,
        },
        at: now,
      });
    });
    await this.afterChange(statement);
    if (statement.affectedAccountId) {
      await this.deps.inbox.statement(statement.affectedAccountId, statement.id, statement.action);
    }
    if (report.reporterId) {
      await this.deps.inbox.reportDecided(report.reporterId, report.id, statement.action);
    }
    const affected = await this.summary(statement.affectedAccountId);
    return {
      report: await this.deps.notices.forModerator(report.id),
      statement: toStatement(statement, affected),
    };
  }

  /** What was reported, as it is now. */
  private async subjectFacts(report: ReportRecord): Promise<SubjectFacts> {
    const facts: SubjectFacts = {
      targetType: report.targetType,
      spaceState: null,
      hostId: null,
      clipCreatorId: null,
      accountId: null,
    };
    if (report.targetType === "space") {
      const space = await this.repos.spaces.findById(report.targetId);
      facts.spaceState = space?.state ?? null;
      facts.hostId = space?.hostId ?? null;
    } else if (report.targetType === "clip") {
      const clip = await this.repos.clips.findById(report.targetId);
      facts.clipCreatorId = clip?.createdBy ?? null;
    } else {
      const account = await this.repos.accounts.findById(report.targetId);
      facts.accountId = account?.id ?? null;
    }
    return facts;
  }

  /** remove_speaker: the account named, which must be on the stage (not the host). */
  private async speakerOf(input: DecisionInput, facts: SubjectFacts): Promise<string | null> {
    if (input.action !== "remove_speaker" || !input.speakerHandle) return null;
    const account = await this.repos.accounts.findByHandle(input.speakerHandle);
    if (!account || account.id === facts.hostId) return null;
    return account.id;
  }

  private async carryOut(
    statement: StatementRecord,
    facts: SubjectFacts,
    input: DecisionInput,
  ): Promise<void> {
    const { spaces } = this.deps;
    switch (statement.action) {
      case "end_space":
        // As the host would: every listener and speaker hears the Space end.
        await spaces.changeState(statement.subjectId, facts.hostId ?? "", "end");
        return;
      case "remove_speaker":
        await spaces.stageAction(
          statement.subjectId,
          facts.hostId ?? "",
          "remove",
          input.speakerHandle,
        );
        return;
      case "suspend": {
        const accountId = statement.affectedAccountId;
        if (!accountId) return;
        await this.deps.accounts.endAllSessions(accountId);
        const live = await this.repos.spaces.list({
          state: "live",
          hostId: accountId,
          limit: 1_000,
        });
        for (const space of live) {
          await spaces.changeState(space.id, accountId, "end").catch(() => {});
        }
        return;
      }
      default:
        return;
    }
  }

  /** Reach limits are read in memory on every node: reload them and tell discovery. */
  async afterChange(statement: StatementRecord): Promise<void> {
    if (statement.action !== "limit_reach" && statement.action !== "suspend") return;
    await this.deps.reach.refresh();
    this.deps.reachChanged(statement.subjectType === "space" ? [statement.subjectId] : []);
  }

  private async summary(id: string | null) {
    if (!id) return null;
    const a = await this.repos.accounts.findById(id);
    return a ? { id: a.id, handle: a.handle, displayName: a.displayName } : null;
  }
}

const notApplicableText = {
  not_a_space: "This action is for a reported Space.",
  space_not_live: "The Space is not live (any more).",
  no_account: "What was reported has no account to act on (it is gone).",
  speaker_not_found:
    "Name the speaker to remove (speakerHandle): someone on the stage, not the host.",
} as const;
