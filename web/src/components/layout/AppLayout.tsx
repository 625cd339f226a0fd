import { Link, Outlet } from "react-router";
import { useSession } from "../../auth/session-context";
import { moderates, useRoles } from "../../moderation/use-roles";
import { Header } from "./Header";

/** The frame of every page: skip link, header, the page itself, footer. */
export function AppLayout() {
  const { account } = useSession();
  const roles = useRoles();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="footer">
        <p>
          Amphi · live audio you host yourself · <a href="/api/docs">API</a> ·{" "}
          <Link to="/transparency">Transparency</Link>
          {account && (
            <>
              {" · "}
              <Link to="/reports">Your reports</Link>
            </>
          )}
          {roles.status === "ready" && moderates(roles.roles) && (
            <>
              {" · "}
              <Link to="/moderation" data-testid="moderation-link">
                Moderation
              </Link>
            </>
          )}
        </p>
      </footer>
    </>
  );
}
