import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { fieldErrors } from "../../api/api-error";
import { reportsApi } from "../../api/moderation";
import type {
  CreatedReport,
  CreateReportInput,
  ReportCategory,
  ReportTargetType,
} from "../../api/types";
import { formatClock } from "../../media/time";
import type { MomentReader } from "../../moderation/report-moment";
import { FieldError } from "../form/FieldError";
import { FormError } from "../form/FormError";
import { TextField } from "../form/TextField";
import { CategoryOptions } from "./CategoryOptions";
import { ReportReceiptView } from "./ReportReceiptView";

/**
 * The notice form (DSA Art. 16) in a modal `<dialog>`: what is wrong (a category), why, who
 * sends it (optional) and the good-faith statement. Sent, it turns into the receipt.
 */
export function ReportDialog({
  target,
  subject,
  moment,
  onClose,
}: {
  target: { type: ReportTargetType; id: string };
  subject: string;
  moment: ReturnType<MomentReader>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [category, setCategory] = useState<ReportCategory | "">("");
  const [explanation, setExplanation] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [goodFaith, setGoodFaith] = useState(false);
  const [withMoment, setWithMoment] = useState(moment !== null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<CreatedReport | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const fields = { ...fieldErrors(error), ...local };

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!category) problems.category = "Choose what is wrong.";
    if (!explanation.trim()) problems.explanation = "Say what is wrong and where.";
    if (!goodFaith) problems.goodFaith = "Confirm this to send the notice.";
    setLocal(problems);
    if (Object.keys(problems).length > 0 || !category) return;
    const input: CreateReportInput = {
      target: {
        type: target.type,
        id: target.id,
        ...(withMoment && moment ? { offsetSeconds: moment.seconds } : {}),
      },
      category,
      explanation: explanation.trim(),
      goodFaith: true,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      setSent(await reportsApi.create(input));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const titleId = `${id}-title`;
  return (
    <dialog
      ref={ref}
      className="confirm-dialog report-dialog"
      aria-labelledby={titleId}
      data-testid="report-dialog"
      onClose={onClose}
    >
      {sent ? (
        <ReportReceiptView created={sent} titleId={titleId} onDone={() => ref.current?.close()} />
      ) : (
        <form onSubmit={onSubmit} noValidate className="report-form">
          <h2 id={titleId} className="confirm-title">
            Report {subject}
          </h2>
          <p className="confirm-body">
            Tell us what breaks the law or Amphi's rules. A moderator reviews every notice and you
            will be able to see the decision.
          </p>
          {moment && (
            <label className="check-row" data-testid="report-moment">
              <input
                type="checkbox"
                checked={withMoment}
                onChange={(e) => setWithMoment(e.target.checked)}
                data-testid="report-with-moment"
              />
              <span>
                The moment at <strong>{formatClock(moment.seconds)}</strong>{" "}
                {moment.moment === "live" ? "(what you hear now, live)" : "of the replay"}
              </span>
            </label>
          )}
          <div className={fields.category ? "field field-invalid" : "field"}>
            <label htmlFor={`${id}-category`} className="field-label">
              What is wrong
            </label>
            <select
              id={`${id}-category`}
              className="input select"
              data-testid="report-category"
              value={category}
              onChange={(e) => setCategory(e.target.value as ReportCategory)}
              aria-invalid={fields.category ? true : undefined}
              aria-describedby={fields.category ? `${id}-category-error` : undefined}
            >
              <option value="" disabled>
                Choose one…
              </option>
              <CategoryOptions />
            </select>
            <FieldError id={`${id}-category-error`} message={fields.category} />
          </div>
          <div className={fields.explanation ? "field field-invalid" : "field"}>
            <label htmlFor={`${id}-explanation`} className="field-label">
              Why
            </label>
            <textarea
              id={`${id}-explanation`}
              className="input textarea"
              data-testid="report-explanation"
              rows={4}
              maxLength={5000}
              value={explanation}
              onChange={(e) => setExplanation(e.target.value)}
              aria-invalid={fields.explanation ? true : undefined}
              aria-describedby={`${id}-explanation-hint${fields.explanation ? ` ${id}-explanation-error` : ""}`}
            />
            <p id={`${id}-explanation-hint`} className="field-hint">
              What was said or shown, and why it is illegal or against the rules. For illegal
              content, name the law if you know it.
            </p>
            <FieldError id={`${id}-explanation-error`} message={fields.explanation} />
          </div>
          <div className="report-contact">
            <TextField
              label="Your name (optional)"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={100}
              autoComplete="name"
              error={fields.name}
              testId="report-name"
            />
            <TextField
              label="Email (optional)"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              maxLength={254}
              autoComplete="email"
              error={fields.email}
              testId="report-email"
            />
          </div>
          <div className={fields.goodFaith ? "field field-invalid" : "field"}>
            <label className="check-row">
              <input
                type="checkbox"
                checked={goodFaith}
                onChange={(e) => setGoodFaith(e.target.checked)}
                data-testid="report-good-faith"
                aria-describedby={fields.goodFaith ? `${id}-gf-error` : undefined}
              />
              <span>I believe in good faith that this notice is accurate and complete.</span>
            </label>
            <FieldError id={`${id}-gf-error`} message={fields.goodFaith} />
          </div>
          {Object.keys(fieldErrors(error)).length === 0 && <FormError error={error} />}
          <div className="confirm-actions">
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => ref.current?.close()}
              data-testid="report-cancel"
            >
              Cancel
            </button>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy}
              data-testid="report-submit"
            >
              {busy ? "Sending…" : "Send notice"}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
