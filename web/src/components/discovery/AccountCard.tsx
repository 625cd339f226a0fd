import { Link } from "react-router";
import type { PopularAccount } from "../../api/types";
import { formatCount, plural } from "../../lib/format";
import { Avatar } from "../Avatar";
import { profilePath } from "../ProfileLink";

/** A person in a list: avatar, name, handle and followers, linking to their profile. */
export function AccountCard({ account }: { account: PopularAccount }) {
  return (
    <Link
      to={profilePath(account.handle)}
      className="account-card"
      data-testid="account-card"
      data-handle={account.handle}
    >
      <Avatar handle={account.handle} displayName={account.displayName} size={44} />
      <span className="account-card-id">
        <span className="account-card-name">{account.displayName}</span>
        <span className="handle">@{account.handle}</span>
        <span className="account-card-followers">
          <strong>{formatCount(account.followers)}</strong>{" "}
          {plural(account.followers, "follower", "followers")}
        </span>
      </span>
    </Link>
  );
}
