import { type FormEvent, useCallback, useEffect, useState } from "react";
import { accountsApi } from "../../api/accounts";
import { fieldErrors, showsFieldError } from "../../api/api-error";
import type { SessionInfo } from "../../api/types";
import { useSession } from "../../auth/session-context";
import { formatDateTime, formatRelative } from "../../lib/format";
import { useToast } from "../feedback/toast-context";
import { FormError } from "../form/FormError";
import { focusFirstInvalid } from "../form/focus-invalid";
import { TextField } from "../form/TextField";

/** Security on the person's own profile: change the password, see and end sessions. */
export function SecuritySection() {
  return (
    <section className="security" aria-labelledby="security-title" data-testid="security">
      <h2 id="security-title">Security</h2>
      <ChangePasswordForm />
      <SessionsList />
    </section>
  );
}

function ChangePasswordForm() {
  const toast = useToast();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      const { endedSessions } = await accountsApi.changePassword({ currentPassword, newPassword });
      setCurrent("");
      setNew("");
      toast.show(
        endedSessions === 0
          ? "Password changed."
          : `Password changed. ${endedSessions} other ${endedSessions === 1 ? "session was" : "sessions were"} signed out.`,
        "success",
      );
    } catch (e) {
      setError(e);
      focusFirstInvalid(form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="change-password" onSubmit={onSubmit} noValidate>
      <h3>Change password</h3>
      {error && !showsFieldError(fields, ["currentPassword", "newPassword"]) ? (
        <FormError error={error} />
      ) : null}
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={(e) => setCurrent(e.target.value)}
        error={fields.currentPassword}
        testId="current-password"
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters. Your other sessions will be signed out."
        value={newPassword}
        onChange={(e) => setNew(e.target.value)}
        error={fields.newPassword}
        testId="new-password"
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </div>
    </form>
  );
}

function SessionsList() {
  const { setAccount } = useSession();
  const toast = useToast();
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    accountsApi.sessions().then(
      (answer) => setSessions(answer.sessions),
      (e: unknown) => setError(e),
    );
  }, []);
  useEffect(load, [load]);

  async function end(session: SessionInfo) {
    setError(null);
    try {
      const { current } = await accountsApi.endSession(session.id);
      if (current) {
        setAccount(null);
        return;
      }
      toast.show(`${session.client} was signed out.`, "success");
      load();
    } catch (e) {
      setError(e);
    }
  }

  async function endAll() {
    setError(null);
    try {
      await accountsApi.endAllSessions();
      setAccount(null);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="sessions">
      <h3>Where you're signed in</h3>
      {error ? <FormError error={error} /> : null}
      {sessions === null ? (
        <p className="muted">Loading sessions…</p>
      ) : (
        <ul className="session-list" data-testid="session-list">
          {sessions.map((s) => (
            <li key={s.id} className="session-item">
              <div>
                <strong>{s.client}</strong>
                {s.current && <span className="badge">This browser</span>}
                <p className="muted" title={s.userAgent}>
                  Signed in {formatDateTime(s.createdAt)} · last seen {formatRelative(s.lastSeenAt)}
                </p>
              </div>
              <button type="button" className="btn btn-ghost" onClick={() => end(s)}>
                Sign out
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={endAll}>
          Sign out everywhere
        </button>
      </div>
    </div>
  );
}
