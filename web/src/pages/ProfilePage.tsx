import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { accountsApi } from "../api/accounts";
import { type ApiError, isApiError } from "../api/api-error";
import type { Profile } from "../api/types";
import { useSession } from "../auth/session-context";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Skeleton } from "../components/feedback/Skeleton";
import { Icon } from "../components/Icon";
import { ProfileHeader } from "../components/profile/ProfileHeader";
import { SpaceList } from "../components/spaces/SpaceList";
import { useSpaceList } from "../components/spaces/use-space-list";
import { WebhooksSection } from "../components/webhooks/WebhooksSection";
import { NotFoundPage } from "./NotFoundPage";

const handlePattern = /^[a-z0-9_]{3,20}$/;

/** `/@handle`: the route matches any first segment, so this checks for the "@". */
export function AtHandleRoute() {
  const { atHandle = "" } = useParams();
  if (!atHandle.startsWith("@")) return <NotFoundPage />;
  return <ProfileView handle={atHandle.slice(1).toLowerCase()} />;
}

/** `/u/:handle`, the same page for places where "@" is awkward. */
export function ProfilePage() {
  const { handle = "" } = useParams();
  return <ProfileView handle={handle.toLowerCase()} />;
}

function ProfileSkeleton() {
  return (
    <div className="card profile-header" aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading profile…
      </span>
      <div className="profile-top">
        <Skeleton width={88} height={88} round />
        <div className="profile-id">
          <Skeleton width={180} height={28} />
          <Skeleton width={100} />
        </div>
      </div>
      <Skeleton width="70%" />
    </div>
  );
}

function ProfileView({ handle }: { handle: string }) {
  const { account, setAccount } = useSession();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const valid = handlePattern.test(handle);

  /** Bumped by every load and every follow, so a late answer never undoes a newer one. */
  const version = useRef(0);

  const load = useCallback(() => {
    const mine = ++version.current;
    setError(null);
    accountsApi
      .profile(handle)
      .then((answer) => {
        if (mine === version.current) setProfile(answer.profile);
      })
      .catch((e: unknown) => {
        if (mine === version.current && isApiError(e)) setError(e);
      });
  }, [handle]);

  const onProfile = useCallback((next: Profile) => {
    version.current++;
    setProfile(next);
  }, []);

  useEffect(() => {
    setProfile(null);
    if (valid) load();
  }, [valid, load]);

  const live = useSpaceList("live", valid ? handle : undefined);
  const upcoming = useSpaceList("scheduled", valid ? handle : undefined);

  const missing =
    !valid || isApiError(error, "AMPHI_ACCOUNT_NOT_FOUND") || isApiError(error, "AMPHI_NOT_FOUND");
  if (missing) {
    return (
      <div className="page narrow">
        <title>Not found · Amphi</title>
        <EmptyState title={`Nobody is called @${handle}`} icon={<Icon name="users" size={28} />}>
          <p>Check the spelling, or look for them in a Space.</p>
          <Link to="/" className="btn btn-primary">
            Go home
          </Link>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="page">
      <title>{profile ? `${profile.displayName} (@${profile.handle}) · Amphi` : "Amphi"}</title>
      {error && !profile ? (
        <ErrorNotice error={error} title="We couldn't load this profile" onRetry={load} />
      ) : profile ? (
        <ProfileHeader
          profile={profile}
          viewer={account}
          onProfile={onProfile}
          onAccount={setAccount}
        />
      ) : (
        <ProfileSkeleton />
      )}
      {profile && account?.id === profile.id && <WebhooksSection />}
      {profile && (
        <>
          <SpaceList
            title="Live now"
            list={live}
            testId="profile-live"
            empty={<p className="muted">{profile.displayName} isn't live right now.</p>}
          />
          <SpaceList
            title="Upcoming"
            list={upcoming}
            testId="profile-upcoming"
            empty={<p className="muted">No Spaces scheduled.</p>}
          />
        </>
      )}
    </div>
  );
}
