import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { fieldErrors, showsFieldError } from "../api/api-error";
import { safeNextPath } from "../auth/next-path";
import { useSession } from "../auth/session-context";
import { FormError } from "../components/form/FormError";
import { focusFirstInvalid } from "../components/form/focus-invalid";
import { TextField } from "../components/form/TextField";

/** Create an account: handle, display name, password. */
export function SignupPage() {
  const { signUp } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [handle, setHandle] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  const hasFieldErrors = showsFieldError(fields, ["handle", "displayName", "password"]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      await signUp({ handle: handle.trim().replace(/^@/, ""), displayName, password });
      navigate(safeNextPath(params.get("next")), { replace: true });
    } catch (e) {
      setError(e);
      focusFirstInvalid(form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page narrow">
      <title>Sign up · Amphi</title>
      <div className="card form-card">
        <h1 className="form-title">Create your account</h1>
        <p className="form-lead">Host Spaces, ask to speak and follow people.</p>
        <form onSubmit={onSubmit} noValidate>
          {error && !hasFieldErrors ? <FormError error={error} /> : null}
          <TextField
            label="Handle"
            name="handle"
            testId="signup-handle"
            value={handle}
            onChange={(e) => setHandle(e.target.value)}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            hint="3 to 20 letters, digits or underscores. People find you by it."
            error={fields.handle}
          />
          <TextField
            label="Display name"
            name="displayName"
            testId="signup-display-name"
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            autoComplete="name"
            required
            error={fields.displayName}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            testId="signup-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            required
            hint="At least 8 characters."
            error={fields.password}
          />
          <button
            type="submit"
            className="btn btn-primary btn-block"
            data-testid="signup-submit"
            disabled={busy}
          >
            {busy ? "Creating your account…" : "Sign up"}
          </button>
        </form>
        <p className="form-foot">
          Already have an account?{" "}
          <Link to={`/login${params.size ? `?${params}` : ""}`}>Log in</Link>
        </p>
      </div>
    </div>
  );
}
