import { Link, NavLink } from "react-router";
import { useSession } from "../../auth/session-context";
import { useNotifications } from "../../notifications/notifications-context";
import { Icon } from "../Icon";
import { AccountMenu } from "./AccountMenu";

export function Header() {
  const { status, account } = useSession();
  const { unread } = useNotifications();
  return (
    <header className="header">
      <div className="header-inner">
        <Link to="/" className="brand" aria-label="Amphi home">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="wave" size={18} />
          </span>
          <span className="brand-name">Amphi</span>
        </Link>
        <nav className="header-nav" aria-label="Main">
          <NavLink
            to="/explore"
            className="btn btn-ghost btn-sm btn-icon-only-mobile"
            aria-label="Explore and search"
            data-testid="nav-explore"
          >
            <Icon name="search" size={16} />
            <span className="btn-text">Explore</span>
          </NavLink>
          {status === "loading" ? null : account ? (
            <>
              <NavLink
                to="/new"
                className="btn btn-primary btn-sm new-space-link"
                aria-label="New Space"
              >
                <Icon name="plus" size={16} />
                <span className="btn-text">New Space</span>
              </NavLink>
              <NavLink
                to="/notifications"
                className="btn btn-ghost btn-sm bell-link"
                aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
                data-testid="notifications-bell"
              >
                <Icon name="bell" size={18} />
                {unread ? (
                  <span className="bell-badge" data-testid="unread-count">
                    {unread > 99 ? "99+" : unread}
                  </span>
                ) : null}
              </NavLink>
              <AccountMenu account={account} />
            </>
          ) : (
            <>
              <NavLink to="/login" className="btn btn-ghost btn-sm">
                Log in
              </NavLink>
              <NavLink to="/signup" className="btn btn-primary btn-sm">
                Sign up
              </NavLink>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
