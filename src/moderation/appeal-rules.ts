/** Appeals (DSA Art. 20): who may appeal, until when, and who may decide. Pure. */

/** Six calendar months after the decision was made known. */
export function appealWindowEnd(decidedAt: Date): Date {
  const end = new Date(decidedAt.getTime());
  end.setUTCMonth(end.getUTCMonth() + 6);
  return end;
}

export interface AppealClaim {
  /** The statement's action and the account it affects. */
  action: string;
  affectedAccountId: string | null;
  createdAt: Date;
  kind: string;
  /** The one appealing: logged in as this account (or null). */
  accountId: string | null;
  /** They are the reporter of the statement's notice (logged in as them, or holding the receipt). */
  isReporter: boolean;
}

export type AppealVerdict =
  | { ok: true; appellant: "affected" | "reporter" }
  | { ok: false; code: "AMPHI_APPEAL_NOT_ALLOWED" | "AMPHI_APPEAL_WINDOW_CLOSED" };

export function mayAppeal(claim: AppealClaim, now: Date): AppealVerdict {
  if (claim.kind !== "decision") return { ok: false, code: "AMPHI_APPEAL_NOT_ALLOWED" };
  let appellant: "affected" | "reporter" | null = null;
  if (claim.accountId !== null && claim.accountId === claim.affectedAccountId) {
    appellant = "affected";
  } else if (claim.action === "dismiss" && claim.isReporter) {
    appellant = "reporter";
  }
  if (!appellant) return { ok: false, code: "AMPHI_APPEAL_NOT_ALLOWED" };
  if (now.getTime() > appealWindowEnd(claim.createdAt).getTime()) {
    return { ok: false, code: "AMPHI_APPEAL_WINDOW_CLOSED" };
  }
  return { ok: true, appellant };
}

/** Art. 20(6): not solely by the person who decided; here, by another moderator. */
export function mayDecideAppeal(decidedBy: string | null, moderatorId: string): boolean {
  return decidedBy !== moderatorId;
}
