import { useState } from "react";
import type { Account, Profile } from "../../api/types";
import { formatCount, formatMonthYear } from "../../lib/format";
import { Avatar } from "../Avatar";
import { ReportButton } from "../moderation/ReportButton";
import { EditProfileForm } from "./EditProfileForm";
import { FollowButton } from "./FollowButton";
import { MuteButton } from "./MuteButton";
import { SecuritySection } from "./SecuritySection";

/** A person: name, handle, bio, follower numbers, and Follow (or Edit for oneself). */
export function ProfileHeader({
  profile,
  viewer,
  onProfile,
  onAccount,
}: {
  profile: Profile;
  viewer: Account | null;
  onProfile: (profile: Profile) => void;
  onAccount: (account: Account) => void;
}) {
  const [editing, setEditing] = useState(false);
  const isSelf = viewer?.id === profile.id;

  return (
    <section className="card profile-header" aria-labelledby="profile-name">
      <div className="profile-top">
        <Avatar handle={profile.handle} displayName={profile.displayName} size={88} />
        <div className="profile-id">
          <h1 id="profile-name" className="profile-name" data-testid="profile-name">
            {profile.displayName}
          </h1>
          <p className="handle">@{profile.handle}</p>
        </div>
        <div className="profile-action">
          {isSelf ? (
            !editing && (
              <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)}>
                Edit profile
              </button>
            )
          ) : (
            <>
              <FollowButton profile={profile} loggedIn={viewer !== null} onChange={onProfile} />
              {viewer && <MuteButton profile={profile} />}
              <ReportButton
                target={{ type: "account", id: profile.handle }}
                subject={`@${profile.handle}`}
              />
            </>
          )}
        </div>
      </div>
      {editing && isSelf && viewer ? (
        <>
          <EditProfileForm
            account={viewer}
            onCancel={() => setEditing(false)}
            onSaved={(account) => {
              setEditing(false);
              onAccount(account);
              onProfile({ ...profile, displayName: account.displayName, bio: account.bio });
            }}
          />
          <SecuritySection />
        </>
      ) : (
        profile.bio && <p className="profile-bio">{profile.bio}</p>
      )}
      <ul className="profile-stats">
        <li>
          <strong data-testid="follower-count">{formatCount(profile.followers)}</strong>{" "}
          {profile.followers === 1 ? "follower" : "followers"}
        </li>
        <li>
          <strong data-testid="following-count">{formatCount(profile.following)}</strong> following
        </li>
        <li className="muted">Joined {formatMonthYear(profile.createdAt)}</li>
      </ul>
    </section>
  );
}
