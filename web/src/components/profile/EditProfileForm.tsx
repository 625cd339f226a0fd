import { type FormEvent, useId, useState } from "react";
import { accountsApi } from "../../api/accounts";
import { fieldErrors, showsFieldError } from "../../api/api-error";
import type { Account } from "../../api/types";
import { useToast } from "../feedback/toast-context";
import { FieldError } from "../form/FieldError";
import { FormError } from "../form/FormError";
import { focusFirstInvalid } from "../form/focus-invalid";
import { TextField } from "../form/TextField";

/** The person's own display name and bio. */
export function EditProfileForm({
  account,
  onSaved,
  onCancel,
}: {
  account: Account;
  onSaved: (account: Account) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const toast = useToast();
  const [displayName, setDisplayName] = useState(account.displayName);
  const [bio, setBio] = useState(account.bio);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      const answer = await accountsApi.updateMe({ displayName, bio });
      toast.show("Profile saved.", "success");
      onSaved(answer.account);
    } catch (e) {
      setError(e);
      focusFirstInvalid(form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="edit-profile" onSubmit={onSubmit} noValidate>
      {error && !showsFieldError(fields, ["displayName", "bio"]) ? (
        <FormError error={error} />
      ) : null}
      <TextField
        label="Display name"
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        maxLength={50}
        error={fields.displayName}
      />
      <div className={fields.bio ? "field field-invalid" : "field"}>
        <label htmlFor={`${id}-bio`} className="field-label">
          Bio
        </label>
        <textarea
          id={`${id}-bio`}
          className="input textarea"
          value={bio}
          onChange={(e) => setBio(e.target.value)}
          maxLength={160}
          rows={3}
          aria-invalid={fields.bio ? true : undefined}
          aria-describedby={`${id}-bio-hint${fields.bio ? ` ${id}-bio-error` : ""}`}
        />
        <p id={`${id}-bio-hint`} className="field-hint">
          {160 - bio.length} characters left
        </p>
        <FieldError id={`${id}-bio-error`} message={fields.bio} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
