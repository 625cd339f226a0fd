import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { fieldErrors } from "../../api/api-error";
import { moderationApi } from "../../api/moderation";
import type { ModerationReport, ReportCategory, Statement } from "../../api/types";
import {
  actionChoices,
  decisionInput,
  type DecisionForm as Form,
  lastingActions,
} from "../../moderation/decision-form";
import { actionHints, actionLabels, groundOf } from "../../moderation/labels";
import { FieldError } from "../form/FieldError";
import { FormError } from "../form/FormError";
import { CategoryOptions } from "./CategoryOptions";

/** Who "Remove a speaker" names first: the reported account on stage, else a guest, else the host. */
function defaultSpeaker(report: ModerationReport): string {
  const stage = report.subject.space?.stage ?? [];
  const hostId = report.subject.space?.host.id;
  const pick =
    stage.find((s) => s.id === report.subject.account?.id && s.id !== hostId) ??
    stage.find((s) => s.id !== hostId) ??
    stage[0];
  return pick?.handle ?? "";
}

/**
 * A moderator's decision on a notice, with its statement of reasons (DSA Art. 17): the action,
 * the facts, the ground (law or terms clause), the explanation, and how long it lasts.
 */
export function DecisionForm({
  report,
  onDecided,
}: {
  report: ModerationReport;
  onDecided: (report: ModerationReport, statement: Statement) => void;
}) {
  const id = useId();
  const choices = actionChoices(report);
  const stage = report.subject.space?.stage ?? [];
  const [form, setForm] = useState<Form>({
    action: "dismiss",
    category: report.category,
    groundReference: "",
    facts: "",
    explanation: "",
    durationDays: "",
    // The reported account when it is on stage, else the first guest (not the host).
    speakerHandle: defaultSpeaker(report),
  });
  const [local, setLocal] = useState<Partial<Record<keyof Form, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const server = fieldErrors(error);
  const fields: Partial<Record<string, string>> = { ...server, ...local };
  const ground = groundOf(form.category);
  const lasting = lastingActions.has(form.action);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const check = decisionInput(form);
    if (!check.ok) {
      setLocal(check.errors);
      return;
    }
    setLocal({});
    setBusy(true);
    setError(null);
    try {
      const answer = await moderationApi.decide(report.id, check.input);
      onDecided(answer.report, answer.statement);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const describe = (name: string, hint = false) =>
    [hint ? `${id}-${name}-hint` : null, fields[name] ? `${id}-${name}-error` : null]
      .filter(Boolean)
      .join(" ") || undefined;

  return (
    <form className="decision-form" onSubmit={onSubmit} noValidate data-testid="decision-form">
      <fieldset className="field fieldset">
        <legend className="field-label">Action</legend>
        <div className="action-grid">
          {choices.map(({ action, allowed, reason }) => (
            <label
              key={action}
              className={`choice${form.action === action ? " choice-on" : ""}${allowed ? "" : " choice-off"}`}
            >
              <input
                type="radio"
                name={`${id}-action`}
                value={action}
                checked={form.action === action}
                disabled={!allowed}
                onChange={() => set("action", action)}
                data-testid={`action-${action}`}
              />
              <span className="choice-text">
                <span className="choice-title">{actionLabels[action]}</span>
                <span className="choice-sub">{allowed ? actionHints[action] : reason}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {form.action === "remove_speaker" && (
        <div className={fields.speakerHandle ? "field field-invalid" : "field"}>
          <label htmlFor={`${id}-speaker`} className="field-label">
            Who leaves the stage
          </label>
          <select
            id={`${id}-speaker`}
            className="input select"
            value={form.speakerHandle}
            onChange={(e) => set("speakerHandle", e.target.value)}
            data-testid="decision-speaker"
            aria-describedby={describe("speakerHandle")}
          >
            {stage.map((s) => (
              <option key={s.id} value={s.handle}>
                {s.displayName} (@{s.handle})
              </option>
            ))}
          </select>
          <FieldError id={`${id}-speakerHandle-error`} message={fields.speakerHandle} />
        </div>
      )}

      {lasting && (
        <div className={fields.durationDays ? "field field-invalid" : "field"}>
          <label htmlFor={`${id}-days`} className="field-label">
            For how many days <span className="optional">(empty: for good)</span>
          </label>
          <input
            id={`${id}-days`}
            className="input input-short"
            inputMode="numeric"
            value={form.durationDays}
            onChange={(e) => set("durationDays", e.target.value)}
            data-testid="decision-days"
            aria-describedby={describe("durationDays")}
          />
          <FieldError id={`${id}-durationDays-error`} message={fields.durationDays} />
        </div>
      )}

      <h3 className="subsection-title">Statement of reasons</h3>
      <div className="field">
        <label htmlFor={`${id}-category`} className="field-label">
          Ground found
        </label>
        <select
          id={`${id}-category`}
          className="input select"
          value={form.category}
          onChange={(e) => set("category", e.target.value as ReportCategory)}
          data-testid="decision-category"
        >
          <CategoryOptions />
        </select>
      </div>
      <div className={fields.groundReference ? "field field-invalid" : "field"}>
        <label htmlFor={`${id}-ref`} className="field-label">
          {ground === "illegal" ? "Legal ground (the law relied on)" : "Terms clause relied on"}
          {form.action === "dismiss" && <span className="optional"> (optional)</span>}
        </label>
        <input
          id={`${id}-ref`}
          className="input"
          value={form.groundReference}
          maxLength={500}
          placeholder={
            ground === "illegal" ? "e.g. § 130 StGB (Germany)" : "e.g. Terms § 4.2, harassment"
          }
          onChange={(e) => set("groundReference", e.target.value)}
          data-testid="decision-ground"
          aria-describedby={describe("groundReference")}
        />
        <FieldError id={`${id}-groundReference-error`} message={fields.groundReference} />
      </div>
      <div className={fields.facts ? "field field-invalid" : "field"}>
        <label htmlFor={`${id}-facts`} className="field-label">
          Facts and circumstances <span className="optional">(the notice's are added)</span>
        </label>
        <textarea
          id={`${id}-facts`}
          className="input textarea"
          rows={3}
          maxLength={5000}
          value={form.facts}
          onChange={(e) => set("facts", e.target.value)}
          data-testid="decision-facts"
          aria-describedby={describe("facts")}
        />
        <FieldError id={`${id}-facts-error`} message={fields.facts} />
      </div>
      <div className={fields.explanation ? "field field-invalid" : "field"}>
        <label htmlFor={`${id}-why`} className="field-label">
          Explanation
        </label>
        <textarea
          id={`${id}-why`}
          className="input textarea"
          rows={3}
          maxLength={5000}
          value={form.explanation}
          onChange={(e) => set("explanation", e.target.value)}
          data-testid="decision-explanation"
          aria-describedby={describe("explanation", true)}
        />
        <p id={`${id}-explanation-hint`} className="field-hint">
          Why the content is {ground === "illegal" ? "illegal" : "against the terms"} on that ground
          (or, dismissing, why it is not). The affected person and the reporter read this.
        </p>
        <FieldError id={`${id}-explanation-error`} message={fields.explanation} />
      </div>
      <p className="field-hint">No automated means were used: you are deciding.</p>
      {Object.keys(server).length === 0 && <FormError error={error} />}
      <div className="form-actions">
        <button
          type="submit"
          className={
            form.action === "dismiss" || form.action === "warn"
              ? "btn btn-primary"
              : "btn btn-danger"
          }
          disabled={busy}
          data-testid="decision-submit"
        >
          {busy ? "Deciding…" : `${actionLabels[form.action]} and issue the statement`}
        </button>
      </div>
    </form>
  );
}

/** A decision just taken: its statement, to read as the affected person will. */
export function DecidedNote({ statement }: { statement: Statement }) {
  return (
    <div className="notice notice-success" role="status" data-testid="decision-done">
      <p>
        <strong>{actionLabels[statement.action]}</strong>: done. Statement{" "}
        <Link to={`/statements/${encodeURIComponent(statement.id)}`}>{statement.id}</Link>
        {statement.affectedAccount
          ? ` was sent to @${statement.affectedAccount.handle}.`
          : " was issued."}
      </p>
    </div>
  );
}
