import {
  moderationActions,
  moderationGrounds,
  noticeSources,
  reportCategories,
  reportTargetTypes,
  type TransparencyReport,
} from "../contracts/moderation-contracts.ts";

/** The transparency report (DSA Art. 15 and 24) from the period's rows. Pure. */

export interface NoticeRow {
  category: string;
  source: string;
  targetType: string;
  createdAt: Date;
  decidedAt: Date | null;
  decisionAction: string | null;
  ground: string;
}

export interface AppealRow {
  status: string;
  createdAt: Date;
  decidedAt: Date | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function bump<K extends string>(counts: Record<K, number>, key: string): void {
  if (key in counts) counts[key as K]++;
}

/**
 * Notices received in the period, the decisions on them (whenever made), the appeals lodged
 * in the period. Times are in seconds.
 */
export function transparencyReport(input: {
  from: Date;
  to: Date;
  notices: readonly NoticeRow[];
  appeals: readonly AppealRow[];
  now: Date;
}): TransparencyReport {
  const byCategory = zeros(reportCategories);
  const bySource = zeros(noticeSources);
  const byTargetType = zeros(reportTargetTypes);
  const byType = zeros(moderationActions);
  const byGround = zeros(moderationGrounds);
  const delays: number[] = [];
  let decided = 0;
  for (const n of input.notices) {
    bump(byCategory, n.category);
    bump(bySource, n.source);
    bump(byTargetType, n.targetType);
    if (n.decisionAction && n.decidedAt) {
      decided++;
      bump(byType, n.decisionAction);
      bump(byGround, n.ground);
      delays.push((n.decidedAt.getTime() - n.createdAt.getTime()) / 1000);
    }
  }
  const appealDelays: number[] = [];
  let pending = 0;
  let upheld = 0;
  let reversed = 0;
  for (const a of input.appeals) {
    if (a.status === "pending") pending++;
    if (a.status === "upheld") upheld++;
    if (a.status === "reversed") reversed++;
    if (a.decidedAt) appealDelays.push((a.decidedAt.getTime() - a.createdAt.getTime()) / 1000);
  }
  return {
    period: { from: input.from.toISOString(), to: input.to.toISOString() },
    notices: { total: input.notices.length, byCategory, bySource, byTargetType },
    actions: {
      total: decided,
      byType,
      byGround,
      medianSecondsNoticeToAction: median(delays),
    },
    appeals: {
      total: input.appeals.length,
      pending,
      upheld,
      reversed,
      medianSecondsToDecision: median(appealDelays),
    },
    automation: {
      automatedDetection: 0,
      automatedDecision: 0,
      description:
        "No automated means: every notice is read and decided by a person, every appeal by another.",
    },
    generatedAt: input.now.toISOString(),
  };
}
