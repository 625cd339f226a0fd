import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { fieldErrors, isApiError } from "../../api/api-error";
import { statementsApi } from "../../api/moderation";
import type { Appeal, Statement } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { appealOpen } from "../../moderation/appeal-window";
import { FieldError } from "../form/FieldError";
import { FormError } from "../form/FormError";

const outcomeText: Record<Appeal["status"], string> = {
  pending: "Under review by a different moderator",
  upheld: "Upheld: the decision stands",
  reversed: "Reversed: the decision is undone",
};

/** The appeal against a statement, once sent: its status and the outcome's reasons. */
function AppealOutcome({ appeal }: { appeal: Appeal }) {
  return (
    <div
      className={`appeal-outcome appeal-${appeal.status}`}
      data-testid="appeal-outcome"
      data-status={appeal.status}
    >
      <p>
        <strong>{outcomeText[appeal.status]}</strong>
      </p>
      <p className="muted">
        You appealed on <time dateTime={appeal.createdAt}>{formatDateTime(appeal.createdAt)}</time>
        {appeal.decidedAt && (
          <>
            ; decided on <time dateTime={appeal.decidedAt}>{formatDateTime(appeal.decidedAt)}</time>
          </>
        )}
        .
      </p>
      {appeal.decisionExplanation && <p className="prewrap">{appeal.decisionExplanation}</p>}
      {appeal.reversalStatementId && (
        <p>
          <Link
            to={`/statements/${encodeURIComponent(appeal.reversalStatementId)}`}
            data-testid="reversal-link"
          >
            Read the reversal
          </Link>
        </p>
      )}
    </div>
  );
}

/**
 * Appeal (DSA Art. 20): within six months of the decision, the person it affects (or, for a
 * dismissed notice, its reporter) asks for a review; a different moderator decides.
 */
export function AppealSection({
  statement,
  appeal: known,
  token,
}: {
  statement: Statement;
  appeal: Appeal | null;
  token: string | null;
}) {
  const id = useId();
  const [appeal, setAppeal] = useState<Appeal | null>(known);
  const [explanation, setExplanation] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<string | undefined>();
  const current = appeal ?? known;

  if (statement.kind === "reversal") return null;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!explanation.trim()) {
      setLocal("Say why the decision should change.");
      return;
    }
    setLocal(undefined);
    setBusy(true);
    setError(null);
    try {
      const answer = await statementsApi.appeal(statement.id, {
        explanation: explanation.trim(),
        ...(token ? { token } : {}),
      });
      setAppeal(answer.appeal);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const open = appealOpen(statement.appealableUntil, Date.now());
  const fieldMessage = local ?? fieldErrors(error).explanation;
  return (
    <section className="card appeal" aria-labelledby={`${id}-title`} data-testid="appeal-section">
      <h2 id={`${id}-title`} className="section-title">
        Appeal
      </h2>
      {current ? (
        <AppealOutcome appeal={current} />
      ) : isApiError(error, "AMPHI_APPEAL_EXISTS") ? (
        <p>You have already appealed this decision; you'll be told the outcome.</p>
      ) : !open ? (
        <p className="muted" data-testid="appeal-closed">
          The six months to appeal ended on{" "}
          <time dateTime={statement.appealableUntil}>
            {formatDateTime(statement.appealableUntil)}
          </time>
          . You can still turn to an out-of-court dispute settlement body or the courts.
        </p>
      ) : (
        <form onSubmit={onSubmit} noValidate className="appeal-form">
          <p className="muted">
            If you think this decision is wrong, tell us why. A moderator who did not take it will
            review it. You can appeal until{" "}
            <time dateTime={statement.appealableUntil}>
              {formatDateTime(statement.appealableUntil)}
            </time>
            .
          </p>
          <div className={fieldMessage ? "field field-invalid" : "field"}>
            <label htmlFor={`${id}-why`} className="field-label">
              Why the decision should change
            </label>
            <textarea
              id={`${id}-why`}
              className="input textarea"
              rows={4}
              maxLength={5000}
              value={explanation}
              onChange={(e) => setExplanation(e.target.value)}
              data-testid="appeal-explanation"
              aria-invalid={fieldMessage ? true : undefined}
              aria-describedby={fieldMessage ? `${id}-why-error` : undefined}
            />
            <FieldError id={`${id}-why-error`} message={fieldMessage} />
          </div>
          {!fieldMessage && <FormError error={error} />}
          <div className="form-actions">
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy}
              data-testid="appeal-submit"
            >
              {busy ? "Sending…" : "Send appeal"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
