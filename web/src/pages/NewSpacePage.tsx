import { type FormEvent, useId, useState } from "react";
import { useNavigate } from "react-router";
import { fieldErrors, showsFieldError } from "../api/api-error";
import { spacesApi } from "../api/spaces";
import type { CreateSpaceInput, SpeakerRequestPolicy } from "../api/types";
import { FieldError } from "../components/form/FieldError";
import { FormError } from "../components/form/FormError";
import { focusFirstInvalid } from "../components/form/focus-invalid";
import { TextField } from "../components/form/TextField";
import { Icon } from "../components/Icon";
import { localInputToIso, toLocalInputValue } from "../lib/datetime-local";

type When = "now" | "later";

const policies: { value: SpeakerRequestPolicy; label: string }[] = [
  { value: "everyone", label: "Anyone listening" },
  { value: "followed", label: "People I follow" },
  { value: "invited", label: "Only people I invite" },
];

/** Create a Space: go live now, or schedule it for later. */
export function NewSpacePage() {
  const navigate = useNavigate();
  const id = useId();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [when, setWhen] = useState<When>("later");
  const [scheduledFor, setScheduledFor] = useState("");
  const [recording, setRecording] = useState(true);
  const [requireLogin, setRequireLogin] = useState(false);
  const [speakerRequests, setSpeakerRequests] = useState<SpeakerRequestPolicy>("everyone");
  const [error, setError] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const fields = { ...fieldErrors(error), ...localErrors };
  const hasFieldErrors = showsFieldError(fields, [
    "title",
    "description",
    "scheduledFor",
    "speakerRequests",
    "recording",
    "requireLogin",
  ]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    const input: CreateSpaceInput = { title, recording, speakerRequests, requireLogin };
    if (description.trim()) input.description = description;
    if (when === "now") {
      input.startNow = true;
    } else if (scheduledFor) {
      const iso = localInputToIso(scheduledFor);
      if (!iso) {
        setLocalErrors({ scheduledFor: "Pick a date and time." });
        focusFirstInvalid(form);
        return;
      }
      if (new Date(iso).getTime() < Date.now() - 60_000) {
        setLocalErrors({ scheduledFor: "Pick a time in the future." });
        focusFirstInvalid(form);
        return;
      }
      input.scheduledFor = iso;
    }
    setLocalErrors({});
    setBusy(true);
    try {
      const { space } = await spacesApi.create(input);
      navigate(`/spaces/${encodeURIComponent(space.id)}`);
    } catch (e) {
      setError(e);
      focusFirstInvalid(form);
      setBusy(false);
    }
  }

  const minDate = toLocalInputValue(new Date());

  return (
    <div className="page narrow">
      <title>New Space · Amphi</title>
      <div className="card form-card">
        <h1 className="form-title">Start a Space</h1>
        <p className="form-lead">Go live now, or schedule it so people can plan to join.</p>
        <form onSubmit={onSubmit} noValidate>
          {error && !hasFieldErrors ? <FormError error={error} /> : null}
          <TextField
            label="Title"
            name="title"
            testId="create-title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            maxLength={100}
            placeholder="What will you talk about?"
            required
            error={fields.title}
          />
          <div className={fields.description ? "field field-invalid" : "field"}>
            <label htmlFor={`${id}-desc`} className="field-label">
              Description <span className="optional">(optional)</span>
            </label>
            <textarea
              id={`${id}-desc`}
              name="description"
              className="input textarea"
              data-testid="create-description"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              maxLength={500}
              rows={3}
              aria-invalid={fields.description ? true : undefined}
              aria-describedby={fields.description ? `${id}-desc-error` : undefined}
            />
            <FieldError id={`${id}-desc-error`} message={fields.description} />
          </div>

          <fieldset className="field fieldset">
            <legend className="field-label">When</legend>
            <div className="choice-row">
              <label className={when === "now" ? "choice choice-on" : "choice"}>
                <input
                  type="radio"
                  name="when"
                  value="now"
                  data-testid="create-start-now"
                  checked={when === "now"}
                  onChange={() => setWhen("now")}
                />
                <span className="choice-text">
                  <span className="choice-title">
                    <span className="live-dot" aria-hidden="true" /> Start now
                  </span>
                  <span className="choice-sub">Go live as soon as it's created</span>
                </span>
              </label>
              <label className={when === "later" ? "choice choice-on" : "choice"}>
                <input
                  type="radio"
                  name="when"
                  value="later"
                  data-testid="create-schedule"
                  checked={when === "later"}
                  onChange={() => setWhen("later")}
                />
                <span className="choice-text">
                  <span className="choice-title">
                    <Icon name="calendar" size={16} /> Schedule
                  </span>
                  <span className="choice-sub">Start it yourself later</span>
                </span>
              </label>
            </div>
            {when === "later" && (
              <div className={fields.scheduledFor ? "field field-invalid" : "field"}>
                <label htmlFor={`${id}-at`} className="field-label">
                  Date and time <span className="optional">(optional)</span>
                </label>
                <input
                  id={`${id}-at`}
                  type="datetime-local"
                  className="input"
                  data-testid="create-scheduled-for"
                  value={scheduledFor}
                  min={minDate}
                  onChange={(e) => setScheduledFor(e.target.value)}
                  aria-invalid={fields.scheduledFor ? true : undefined}
                  aria-describedby={`${id}-at-hint${fields.scheduledFor ? ` ${id}-at-error` : ""}`}
                />
                <p id={`${id}-at-hint`} className="field-hint">
                  In your time zone. Leave empty to start whenever you're ready.
                </p>
                <FieldError id={`${id}-at-error`} message={fields.scheduledFor} />
              </div>
            )}
          </fieldset>

          <div className={fields.speakerRequests ? "field field-invalid" : "field"}>
            <label htmlFor={`${id}-req`} className="field-label">
              Who can ask to speak
            </label>
            <select
              id={`${id}-req`}
              className="input select"
              data-testid="create-speaker-requests"
              value={speakerRequests}
              onChange={(e) => setSpeakerRequests(e.target.value as SpeakerRequestPolicy)}
            >
              {policies.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
            <FieldError id={`${id}-req-error`} message={fields.speakerRequests} />
          </div>

          <div className="field">
            <label className="switch">
              <input
                type="checkbox"
                data-testid="create-recording"
                checked={recording}
                onChange={(e) => setRecording(e.target.checked)}
              />
              <span className="switch-track" aria-hidden="true" />
              <span>
                <span className="choice-title">Record this Space</span>
                <span className="choice-sub">Listeners are told it's being recorded.</span>
              </span>
            </label>
            <FieldError id={`${id}-rec-error`} message={fields.recording} />
          </div>

          <div className="field">
            <label className="switch">
              <input
                type="checkbox"
                data-testid="create-require-login"
                checked={requireLogin}
                onChange={(e) => setRequireLogin(e.target.checked)}
              />
              <span className="switch-track" aria-hidden="true" />
              <span>
                <span className="choice-title">Listeners must log in</span>
                <span className="choice-sub">
                  Only people with an Amphi account can listen. Leave off to let anyone with the
                  link tune in.
                </span>
              </span>
            </label>
            <FieldError id={`${id}-login-error`} message={fields.requireLogin} />
          </div>

          <button
            type="submit"
            className="btn btn-primary btn-block"
            data-testid="create-submit"
            disabled={busy}
          >
            {busy ? "Creating…" : when === "now" ? "Start Space" : "Schedule Space"}
          </button>
        </form>
      </div>
    </div>
  );
}
