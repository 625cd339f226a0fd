import { Link, Outlet } from "react-router";
import { Header } from "./Header";

/** The frame of every page: skip link, header, the page itself, footer. */
export function AppLayout() {
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
        </p>
      </footer>
    </>
  );
}
