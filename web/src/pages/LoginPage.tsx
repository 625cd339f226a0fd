import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { fieldErrors, showsFieldError } from "../api/api-error";
import { safeNextPath } from "../auth/next-path";
import { useSession } from "../auth/session-context";
import { FormError } from "../components/form/FormError";
import { focusFirstInvalid } from "../components/form/focus-invalid";
import { TextField } from "../components/form/TextField";

/** Log in with handle and password, then go back where the person was headed. */
export function LoginPage() {
  const { logIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [handle, setHandle] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  const hasFieldErrors = showsFieldError(fields, ["handle", "password"]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      await logIn({ handle: handle.trim().replace(/^@/, ""), password });
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
      <title>Log in · Amphi</title>
      <div className="card form-card">
        <h1 className="form-title">Welcome back</h1>
        <p className="form-lead">Log in to host, react and ask to speak.</p>
        <form onSubmit={onSubmit} noValidate>
          {error && !hasFieldErrors ? <FormError error={error} /> : null}
          <TextField
            label="Handle"
            name="handle"
            testId="login-handle"
            value={handle}
            onChange={(e) => setHandle(e.target.value)}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            error={fields.handle}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            testId="login-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
            error={fields.password}
          />
          <button
            type="submit"
            className="btn btn-primary btn-block"
            data-testid="login-submit"
            disabled={busy}
          >
            {busy ? "Logging in…" : "Log in"}
          </button>
        </form>
        <p className="form-foot">
          New here? <Link to={`/signup${params.size ? `?${params}` : ""}`}>Create an account</Link>
        </p>
      </div>
    </div>
  );
}
