import { Link, useLocation } from "react-router";

/** The host lets only logged-in people listen: log in (or sign up) and come back here. */
export function LoginPrompt() {
  const location = useLocation();
  const next = encodeURIComponent(location.pathname);
  return (
    <section className="admission" data-testid="login-required">
      <h3 className="admission-title">Log in to listen</h3>
      <p className="admission-text">
        The host asked listeners to log in to this Space. It only takes a moment, and you come right
        back here.
      </p>
      <div className="admission-row">
        <Link
          to={`/login?next=${next}`}
          className="btn btn-primary btn-sm"
          data-testid="login-to-listen"
        >
          Log in
        </Link>
        <Link to={`/signup?next=${next}`} className="btn btn-secondary btn-sm">
          Sign up
        </Link>
      </div>
    </section>
  );
}
