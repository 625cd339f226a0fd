import { useState } from "react";
import { Link, useNavigate } from "react-router";
import type { Account } from "../../api/types";
import { useSession } from "../../auth/session-context";
import { Avatar } from "../Avatar";
import { useToast } from "../feedback/toast-context";
import { Icon } from "../Icon";
import { profilePath } from "../ProfileLink";

/** The logged-in person's avatar (to their profile) and a Log out button. */
export function AccountMenu({ account }: { account: Account }) {
  const { logOut } = useSession();
  const toast = useToast();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);

  async function onLogOut() {
    setBusy(true);
    try {
      await logOut();
      toast.show("You're logged out.");
      navigate("/");
    } catch (error) {
      toast.error(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="account-menu">
      <Link
        to={profilePath(account.handle)}
        className="account-link"
        aria-label={`Your profile (@${account.handle})`}
        title={`@${account.handle}`}
      >
        <Avatar handle={account.handle} displayName={account.displayName} size={32} />
        <span className="account-name">{account.displayName}</span>
      </Link>
      <button
        type="button"
        className="btn btn-ghost btn-sm btn-icon-only-mobile"
        data-testid="logout"
        onClick={onLogOut}
        disabled={busy}
        aria-label="Log out"
      >
        <Icon name="logout" size={16} />
        <span className="btn-text">Log out</span>
      </button>
    </div>
  );
}
