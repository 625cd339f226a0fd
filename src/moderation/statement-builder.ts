import {
  type DecisionInput,
  eeaCountries,
  type ModerationAction,
  type ModerationGround,
  type ReportCategory,
  type ReportTargetType,
  type Statement,
} from "../contracts/moderation-contracts.ts";
import { appealWindowEnd } from "./appeal-rules.ts";
import { dsaCategoryOf, groundOf } from "./categories.ts";
import { endOf, isRestrictive } from "./decision-rules.ts";

/** A statement of reasons (DSA Art. 17) as stored. */
export interface StatementRecord {
  id: string;
  kind: "decision" | "reversal";
  action: ModerationAction;
  restrictive: boolean;
  reportId: string | null;
  reversesStatementId: string | null;
  affectedAccountId: string | null;
  subjectType: ReportTargetType;
  subjectId: string;
  ground: ModerationGround;
  category: ReportCategory;
  dsaCategory: Statement["dsaCategory"];
  legalGround: string | null;
  termsClause: string | null;
  explanation: string;
  facts: string;
  source: Statement["source"];
  territorialScope: string[];
  startsAt: Date;
  endsAt: Date | null;
  note: string | null;
  moderatorId: string | null;
  createdAt: Date;
}

/** How to contest a decision (Art. 17(3)(f)): the same words in every statement. */
export const redressText =
  "You can appeal this decision within six months through Amphi's internal complaint " +
  "system (Art. 20 DSA): another moderator reviews it. You may also turn to a certified " +
  "out-of-court dispute settlement body (Art. 21 DSA) or to the courts.";

/** The notice a decision answers, as the statement cites it. */
export interface NoticeFacts {
  id: string;
  targetType: ReportTargetType;
  targetId: string;
  category: ReportCategory;
  source: string;
  moment: "live" | "replay" | null;
  offsetSeconds: number | null;
  createdAt: Date;
}

function noticeSentence(n: NoticeFacts): string {
  const who =
    n.source === "SOURCE_TRUSTED_FLAGGER" ? "a trusted flagger" : "a notice under Art. 16 DSA";
  const where =
    n.offsetSeconds !== null
      ? ` at ${Math.floor(n.offsetSeconds)} s${n.moment ? ` (${n.moment === "live" ? "while live" : "in the replay"})` : ""}`
      : "";
  return `Notice ${n.id}, from ${who}, received ${n.createdAt.toISOString()}: ${n.targetType} ${n.targetId}${where}, category ${n.category}.`;
}

/** The statement for a moderator's decision on a notice. Pure: ids and time come in. */
export function decisionStatement(input: {
  id: string;
  notice: NoticeFacts;
  decision: DecisionInput;
  affectedAccountId: string | null;
  moderatorId: string;
  now: Date;
}): StatementRecord {
  const { notice, decision, now } = input;
  const category = decision.category ?? notice.category;
  const ground = groundOf(category);
  const reference = decision.groundReference?.trim() || null;
  const facts = [decision.facts?.trim(), noticeSentence(notice)].filter(Boolean).join("\n\n");
  return {
    id: input.id,
    kind: "decision",
    action: decision.action,
    restrictive: isRestrictive(decision.action),
    reportId: notice.id,
    reversesStatementId: null,
    affectedAccountId: input.affectedAccountId,
    subjectType: notice.targetType,
    subjectId: notice.targetId,
    ground,
    category,
    dsaCategory: dsaCategoryOf(category),
    legalGround: ground === "illegal" ? reference : null,
    termsClause: ground === "terms" ? reference : null,
    explanation: decision.explanation,
    facts,
    source:
      notice.source === "SOURCE_TRUSTED_FLAGGER" ? "SOURCE_TRUSTED_FLAGGER" : "SOURCE_ARTICLE_16",
    territorialScope: [...(decision.territorialScope ?? eeaCountries)],
    startsAt: now,
    endsAt: endOf(decision.action, now, decision.durationDays),
    note: null,
    moderatorId: input.moderatorId,
    createdAt: now,
  };
}

/** What a reversal gives back, in words for the statement. */
export function reversalNote(action: ModerationAction): string {
  switch (action) {
    case "end_space":
      return "The Space was ended; an ended Space cannot be restarted. Its host may start a new one.";
    case "remove_speaker":
      return "The removal from the stage is lifted: you may come back to this Space.";
    case "limit_reach":
      return "The reach limit is lifted: discovery, notifications and embedding work again.";
    case "suspend":
      return "The suspension is lifted: you can log in again.";
    default:
      return "The decision is withdrawn.";
  }
}

/** The statement of a reversal on appeal: the original's subject and ground, its own reasons. */
export function reversalStatement(input: {
  id: string;
  original: StatementRecord;
  explanation: string;
  moderatorId: string;
  now: Date;
}): StatementRecord {
  const { original, now } = input;
  return {
    ...original,
    id: input.id,
    kind: "reversal",
    restrictive: false,
    reversesStatementId: original.id,
    explanation: input.explanation,
    facts: `Appeal against statement ${original.id} (${original.action}, ${original.createdAt.toISOString()}) reviewed by another moderator and reversed.`,
    startsAt: now,
    endsAt: null,
    note: reversalNote(original.action),
    moderatorId: input.moderatorId,
    createdAt: now,
  };
}

/** A statement as the API shows it. */
export function toStatement(
  s: StatementRecord,
  affected: { id: string; handle: string; displayName: string } | null,
): Statement {
  return {
    id: s.id,
    kind: s.kind,
    action: s.action,
    restrictive: s.restrictive,
    reportId: s.reportId,
    reversesStatementId: s.reversesStatementId,
    affectedAccount: affected,
    subject: { type: s.subjectType, id: s.subjectId },
    ground: s.ground,
    category: s.category,
    dsaCategory: s.dsaCategory,
    legalGround: s.legalGround,
    termsClause: s.termsClause,
    explanation: s.explanation,
    facts: s.facts,
    source: s.source,
    automatedDetection: false,
    automatedDecision: false,
    territorialScope: s.territorialScope,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt?.toISOString() ?? null,
    redress: redressText,
    note: s.note,
    appealableUntil: appealWindowEnd(s.createdAt).toISOString(),
    createdAt: s.createdAt.toISOString(),
  };
}
