import type { Appeal } from "../contracts/moderation-contracts.ts";
import type { AppealRecord } from "../store/repositories/appeals-repository.ts";

/** An appeal as its readers see it (the deciding moderator's id stays inside). */
export function toAppeal(a: AppealRecord): Appeal {
  return {
    id: a.id,
    statementId: a.statementId,
    appellant: a.appellant,
    explanation: a.explanation,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
    decisionExplanation: a.decisionExplanation,
    reversalStatementId: a.reversalStatementId,
  };
}
