import type { Statement } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import {
  actionHeadlines,
  actionHeadlinesOthers,
  actionLabels,
  categoryLabels,
  groundLabels,
} from "../../moderation/labels";

const eeaSize = 30;

function scopeText(scope: string[]): string {
  if (scope.length >= eeaSize) return "Every EU and EEA country";
  return scope.join(", ");
}

/** The headline of a statement: "You were…" for the person it is about, plain for others. */
export function statementHeadline(statement: Statement, viewerId: string | null): string {
  if (statement.kind === "reversal") return "A decision was reversed on appeal";
  const aboutViewer = viewerId !== null && statement.affectedAccount?.id === viewerId;
  return (aboutViewer ? actionHeadlines : actionHeadlinesOthers)[statement.action];
}

/**
 * A statement of reasons (DSA Art. 17): the decision, the facts, the ground (the law or the
 * terms clause) and its explanation, whether automated means were used, where and how long it
 * applies, and how to contest it.
 */
export function StatementView({ statement }: { statement: Statement }) {
  const s = statement;
  return (
    <div className="statement" data-testid="statement" data-statement-id={s.id} data-kind={s.kind}>
      <dl className="details-list statement-list">
        <dt>Decision</dt>
        <dd data-testid="statement-action">
          {s.kind === "reversal"
            ? `Reversal of: ${actionLabels[s.action]}`
            : actionLabels[s.action]}
          {s.affectedAccount && <span className="muted"> · @{s.affectedAccount.handle}</span>}
        </dd>
        <dt>Facts and circumstances</dt>
        <dd className="prewrap" data-testid="statement-facts">
          {s.facts || "—"}
        </dd>
        <dt>Ground</dt>
        <dd data-testid="statement-ground">
          <strong>{groundLabels[s.ground]}</strong> · {categoryLabels[s.category]}
          {s.legalGround && (
            <span className="statement-ref">
              Law relied on: <q>{s.legalGround}</q>
            </span>
          )}
          {s.termsClause && (
            <span className="statement-ref">
              Terms clause: <q>{s.termsClause}</q>
            </span>
          )}
        </dd>
        <dt>Why</dt>
        <dd className="prewrap" data-testid="statement-explanation">
          {s.explanation}
        </dd>
        <dt>Automated means</dt>
        <dd data-testid="statement-automation">
          {s.automatedDetection ? "Detected by automated means" : "Not detected by automated means"}
          ; {s.automatedDecision ? "decided by automated means" : "decided by a person"}.
        </dd>
        <dt>Applies in</dt>
        <dd>{scopeText(s.territorialScope)}</dd>
        <dt>From</dt>
        <dd>
          <time dateTime={s.startsAt}>{formatDateTime(s.startsAt)}</time>
        </dd>
        <dt>Until</dt>
        <dd data-testid="statement-ends">
          {s.endsAt ? (
            <time dateTime={s.endsAt}>{formatDateTime(s.endsAt)}</time>
          ) : s.restrictive && (s.action === "suspend" || s.action === "limit_reach") ? (
            "No end date"
          ) : (
            "Not applicable (a one-off action)"
          )}
        </dd>
        {s.note && (
          <>
            <dt>Note</dt>
            <dd data-testid="statement-note">{s.note}</dd>
          </>
        )}
        <dt>How to contest it</dt>
        <dd className="prewrap" data-testid="statement-redress">
          {s.redress}
        </dd>
        <dt>Reference</dt>
        <dd>
          <code>{s.id}</code> · issued{" "}
          <time dateTime={s.createdAt}>{formatDateTime(s.createdAt)}</time>
        </dd>
      </dl>
    </div>
  );
}
