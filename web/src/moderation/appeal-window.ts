import type { Statement } from "../api/types";

/** Whether a statement can still be appealed (Art. 20: six months, `appealableUntil`). */
export function appealOpen(appealableUntil: string, nowMs: number): boolean {
  const until = Date.parse(appealableUntil);
  return !Number.isNaN(until) && nowMs < until;
}

/** "1 h 5 min", "3 days", "42 s": a median or a wait, coarse enough to read at a glance. */
export function formatSpan(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${m} min ${rest} s` : `${m} min`;
  }
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.round(s / 86_400);
  return d === 1 ? "1 day" : `${d} days`;
}

/**
 * Who may appeal a statement here (Art. 20): the person it affects; for a dismissal, the
 * reporter (logged in, or holding the receipt's token). A reversal is not appealed.
 */
export function mayAppeal(
  statement: Pick<Statement, "kind" | "action" | "affectedAccount">,
  viewerId: string | null,
  token: string | null,
): boolean {
  if (statement.kind === "reversal") return false;
  if (statement.action === "dismiss") return viewerId !== null || token !== null;
  return viewerId !== null && statement.affectedAccount?.id === viewerId;
}
