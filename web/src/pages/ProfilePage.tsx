import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { accountsApi } from "../api/accounts";
import { type ApiError, isApiError } from "../api/api-error";
import { discoveryApi } from "../api/discovery";
import type { Profile, SpaceDocument } from "../api/types";
import { useSession } from "../auth/session-context";
import { ClipCard } from "../components/discovery/ClipCard";
import { useResource } from "../components/discovery/use-resource";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Skeleton } from "../components/feedback/Skeleton";
import { Icon } from "../components/Icon";
import { ProfileHeader } from "../components/profile/ProfileHeader";
import { SpaceCard } from "../components/spaces/SpaceCard";
import { SpaceList } from "../components/spaces/SpaceList";
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

  const spaces = useResource(
    valid ? handle : null,
    (signal) => discoveryApi.hostSpaces(handle, { signal }),
    30_000,
  );
  const clips = useResource(valid ? handle : null, (signal) =>
    discoveryApi.hostClips(handle, { signal }),
  );
  const list = (pick: (s: NonNullable<typeof spaces.data>) => SpaceDocument[]) => ({
    spaces: spaces.data ? pick(spaces.data) : null,
    error: spaces.error,
    reload: spaces.reload,
  });
  const replayable = new Set(
    spaces.data?.past.filter((p) => p.replay).map((p) => p.space.id) ?? [],
  );

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
            list={list((s) => s.live)}
            testId="profile-live"
            empty={<p className="muted">{profile.displayName} isn't live right now.</p>}
          />
          <SpaceList
            title="Upcoming"
            list={list((s) => s.upcoming)}
            testId="profile-upcoming"
            empty={<p className="muted">No Spaces scheduled.</p>}
          />
          <SpaceList
            title="Past Spaces"
            list={list((s) => s.past.map((p) => p.space))}
            testId="profile-past"
            empty={<p className="muted">No past Spaces yet.</p>}
            card={(space) => (
              <SpaceCard key={space.id} space={space} replay={replayable.has(space.id)} />
            )}
          />
          {clips.data && clips.data.clips.length > 0 && (
            <section
              className="space-section"
              aria-labelledby="profile-clips-heading"
              data-testid="profile-clips"
            >
              <h2 id="profile-clips-heading" className="section-title">
                Clips
              </h2>
              <div className="clip-grid">
                {clips.data.clips.map((clip) => (
                  <ClipCard key={clip.id} clip={clip} />
                ))}
              </div>
            </section>
          )}
        </>
      )}
    </div>
  );
}
