import { useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { accountsApi } from "../../api/accounts";
import type { Profile } from "../../api/types";
import { useToast } from "../feedback/toast-context";

/** Follow / Unfollow; anonymous visitors are sent to log in first. */
export function FollowButton({
  profile,
  loggedIn,
  onChange,
}: {
  profile: Profile;
  loggedIn: boolean;
  onChange: (profile: Profile) => void;
}) {
  const toast = useToast();
  const navigate = useNavigate();
  const location = useLocation();
  const [busy, setBusy] = useState(false);
  const following = profile.viewerFollows === true;

  async function onClick() {
    if (!loggedIn) {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    setBusy(true);
    try {
      const answer = following
        ? await accountsApi.unfollow(profile.handle)
        : await accountsApi.follow(profile.handle);
      onChange(answer.profile);
    } catch (error) {
      toast.error(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <button
      type="button"
      className={following ? "btn btn-secondary follow-btn" : "btn btn-primary follow-btn"}
      data-testid="follow-button"
      aria-pressed={following}
      onClick={onClick}
      disabled={busy}
    >
      {following ? "Unfollow" : "Follow"}
    </button>
  );
}
