import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { isApiError } from "../../api/api-error";
import { moderationApi } from "../../api/moderation";
import type { ModerationAppeal } from "../../api/types";
import { formatDateTime, formatRelative } from "../../lib/format";
import { actionLabels, categoryLabels } from "../../moderation/labels";
import { FormError } from "../form/FormError";

/** One appeal: the decision appealed, the appellant's reasons, and uphold or reverse. */
function AppealCard({ appeal, onDecided }: { appeal: ModerationAppeal; onDecided: () => void }) {
  const id = useId();
  const [explanation, setExplanation] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState<ModerationAppeal["status"] | null>(null);
  const s = appeal.statement;

  async function decide(outcome: "upheld" | "reversed") {
    if (!explanation.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    try {
      const answer = await moderationApi.decideAppeal(appeal.id, {
        outcome,
        explanation: explanation.trim(),
      });
      setDone(answer.appeal.status);
      onDecided();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const onSubmit = (event: FormEvent) => event.preventDefault();
  const status = done ?? appeal.status;

  return (
    <li
      className="card appeal-card"
      data-testid="appeal-item"
      data-appeal-id={appeal.id}
      data-status={status}
    >
      <div className="section-head">
        <h3 className="subsection-title">
          Appeal against <strong>{actionLabels[s.action]}</strong>
          {s.affectedAccount && ` (@${s.affectedAccount.handle})`}
        </h3>
        <span className="muted">{formatRelative(appeal.createdAt)}</span>
      </div>
      <dl className="details-list">
        <dt>Decision</dt>
        <dd>
          {categoryLabels[s.category]} · {s.legalGround ?? s.termsClause ?? "no reference"} ·{" "}
          <Link to={`/statements/${encodeURIComponent(s.id)}`}>statement</Link>
          {s.reportId && (
            <>
              {" · "}
              <Link to={`/moderation/reports/${encodeURIComponent(s.reportId)}`}>notice</Link>
            </>
          )}
        </dd>
        <dt>Its reasons</dt>
        <dd className="prewrap">{s.explanation}</dd>
        <dt>{appeal.appellant === "reporter" ? "The reporter says" : "The person says"}</dt>
        <dd className="prewrap" data-testid="appeal-reasons">
          {appeal.explanation}
        </dd>
      </dl>
      {status === "pending" ? (
        <form onSubmit={onSubmit} className="appeal-decision" noValidate>
          <div className={missing ? "field field-invalid" : "field"}>
            <label htmlFor={`${id}-why`} className="field-label">
              Your explanation (the appellant reads it)
            </label>
            <textarea
              id={`${id}-why`}
              className="input textarea"
              rows={3}
              maxLength={5000}
              value={explanation}
              onChange={(e) => setExplanation(e.target.value)}
              data-testid="appeal-decision-explanation"
            />
            {missing && <p className="field-error">Explain the outcome.</p>}
          </div>
          {isApiError(error, "AMPHI_APPEAL_SAME_MODERATOR") ? (
            <div className="notice notice-error" role="alert" data-testid="same-moderator">
              <p className="notice-body">
                You took this decision, so another moderator must review the appeal (DSA Art. 20).
              </p>
            </div>
          ) : (
            <FormError error={error} />
          )}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-secondary"
              disabled={busy}
              onClick={() => decide("upheld")}
              data-testid="appeal-uphold"
            >
              Uphold the decision
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => decide("reversed")}
              data-testid="appeal-reverse"
            >
              Reverse it
            </button>
          </div>
        </form>
      ) : (
        <p data-testid="appeal-status">
          <strong>{status === "reversed" ? "Reversed" : "Upheld"}</strong>
          {appeal.decidedAt && ` on ${formatDateTime(appeal.decidedAt)}`}
          {appeal.decisionExplanation && `: ${appeal.decisionExplanation}`}
        </p>
      )}
    </li>
  );
}

/** Appeals waiting for a moderator who did not take the decision. */
export function AppealQueue({
  appeals,
  onDecided,
}: {
  appeals: ModerationAppeal[];
  onDecided: () => void;
}) {
  return (
    <ul className="appeal-list" data-testid="appeal-queue">
      {appeals.map((a) => (
        <AppealCard key={a.id} appeal={a} onDecided={onDecided} />
      ))}
    </ul>
  );
}
