import { type FormEvent, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { fieldErrors } from "../../api/api-error";
import { mediaApi } from "../../api/media";
import { formatClock } from "../../media/time";
import { FormError } from "../form/FormError";
import { focusFirstInvalid } from "../form/focus-invalid";
import { TextField } from "../form/TextField";
import { Icon } from "../Icon";
import { type ClipErrors, defaultClipRange, maxClipSeconds, validateClipRange } from "./clip-range";

/**
 * Cuts a clip (at most 60 s) from the replay. Until edited, the range follows the replay's
 * position; "Start here" and "End here" take the position too. On success: the clip's page.
 */
export function ClipForm({
  spaceId,
  position,
  duration,
}: {
  spaceId: string;
  position: number;
  duration: number;
}) {
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const [edited, setEdited] = useState<{ start: string; end: string } | null>(null);
  const [errors, setErrors] = useState<ClipErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const auto = defaultClipRange(position, duration);
  const start = edited?.start ?? formatClock(auto.startSeconds);
  const end = edited?.end ?? formatClock(auto.endSeconds);
  const edit = (next: Partial<{ start: string; end: string }>) =>
    setEdited({ start, end, ...next });

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const checked = validateClipRange(start, end, duration);
    if ("errors" in checked) {
      setErrors(checked.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const { clip } = await mediaApi.createClip(spaceId, checked.range);
      navigate(`/clips/${encodeURIComponent(clip.id)}`);
    } catch (error) {
      const fields = fieldErrors(error);
      const mapped = { start: fields.startSeconds, end: fields.endSeconds };
      if (mapped.start || mapped.end) {
        setErrors(mapped);
        focusFirstInvalid(formRef.current);
      } else {
        setFailure(error);
      }
      setBusy(false);
    }
  }

  return (
    <form
      ref={formRef}
      className="clip-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="clip-heading"
    >
      <h3 id="clip-heading" className="clip-heading">
        <Icon name="scissors" size={18} />
        Create a clip
      </h3>
      <p className="field-hint">
        Up to {maxClipSeconds} seconds. Times as m:ss or seconds; they follow the replay until you
        change them.
      </p>
      <FormError error={failure} />
      <div className="clip-fields">
        <div className="clip-field">
          <TextField
            label="Start"
            value={start}
            onChange={(e) => edit({ start: e.target.value })}
            error={errors.start}
            testId="clip-start"
            autoComplete="off"
            spellCheck={false}
            placeholder="m:ss"
          />
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => edit({ start: formatClock(position) })}
          >
            Start here
          </button>
        </div>
        <div className="clip-field">
          <TextField
            label="End"
            value={end}
            onChange={(e) => edit({ end: e.target.value })}
            error={errors.end}
            testId="clip-end"
            autoComplete="off"
            spellCheck={false}
            placeholder="m:ss"
          />
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => edit({ end: formatClock(position) })}
          >
            End here
          </button>
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="create-clip" disabled={busy}>
          {busy ? "Creating the clip…" : "Create clip"}
        </button>
      </div>
    </form>
  );
}
