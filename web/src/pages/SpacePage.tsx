import { useCallback, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useListeningTicket } from "../admission/listening-ticket";
import type { ReactionEmoji, ReactionSample } from "../api/types";
import { useSession } from "../auth/session-context";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Icon } from "../components/Icon";
import { useMicrophone } from "../components/microphone/use-microphone";
import { ReportButton } from "../components/moderation/ReportButton";
import { AudienceForecastCard } from "../components/space/AudienceForecastCard";
import { FloatingReactions } from "../components/space/FloatingReactions";
import { HostControls } from "../components/space/HostControls";
import { InvitationBanner } from "../components/space/InvitationBanner";
import { MediaArea } from "../components/space/MediaArea";
import { OwnReactionEchoes } from "../components/space/own-reaction-echoes";
import { ReactionBar } from "../components/space/ReactionBar";
import { RecordingPausedNotice } from "../components/space/RecordingPausedNotice";
import { ReminderCard } from "../components/space/ReminderCard";
import { RequestsPanel } from "../components/space/RequestsPanel";
import { SpaceDetails } from "../components/space/SpaceDetails";
import { SpaceHeader } from "../components/space/SpaceHeader";
import { SpaceNotice } from "../components/space/SpaceNotice";
import { SpaceSkeleton } from "../components/space/SpaceSkeleton";
import { StageGrid } from "../components/space/StageGrid";
import { StandingBar } from "../components/space/StandingBar";
import { useFloatingReactions } from "../components/space/use-floating-reactions";
import { useSpaceActions } from "../components/space/use-space-actions";
import { can } from "../lib/permissions";
import { isManager, isOnStage } from "../lib/roles";
import { viewerStanding } from "../lib/standing";
import type { ReactionsMessage } from "../live/messages";
import { useAnnouncedVersion } from "../live/use-announced-version";
import { useLiveSpace } from "../live/use-live-space";
import type { MediaLive } from "../live/use-media-live-state";
import type { MomentReader } from "../moderation/report-moment";

/** Floating emojis for reactions the media carries (counts per emoji; no names in it). */
function samplesOf(counts: Record<string, number>): ReactionSample[] {
  return Object.entries(counts).flatMap(([emoji, n]) =>
    Array.from({ length: Math.min(n, 12) }, () => ({
      emoji: emoji as ReactionEmoji,
      handle: null,
    })),
  );
}

function reactionHint(standing: string, requireLogin: boolean): string {
  if (standing === "anonymous")
    return requireLogin ? "Log in to react." : "Listen or log in to react.";
  if (standing === "removed") return "You were removed from this Space.";
  return "Reactions are closed.";
}

/** One Space, live: the stage, the viewer's place in it, reactions and the hosts' tools. */
export function SpacePage() {
  const { id = "" } = useParams();
  const { account } = useSession();
  const floating = useFloatingReactions();
  const myHandle = account?.handle ?? null;
  const { add } = floating;
  // Listening without logging in: the player's ticket lets me react (docs/api.md).
  const ticket = useListeningTicket(id);
  const [echoes] = useState(() => new OwnReactionEchoes());
  const moment = useRef<MomentReader | null>(null);

  // While the audio plays, the live state comes with it (in step with what is heard): the
  // socket's speaking, counts and reactions, which run ahead of the audio, are not shown.
  const [media, setMedia] = useState<MediaLive | null>(null);
  const mediaActive = media?.active === true;
  const mediaActiveRef = useRef(mediaActive);
  mediaActiveRef.current = mediaActive;

  // My own reactions float the moment I press; the echo in the push is skipped.
  const onReactions = useCallback(
    (message: ReactionsMessage) => {
      if (!mediaActiveRef.current) add(echoes.others(message.samples, myHandle));
    },
    [add, echoes, myHandle],
  );
  // The media's reactions carry no names: my own presses are skipped by emoji.
  const onMediaReactions = useCallback(
    (counts: Record<string, number>) => add(echoes.others(samplesOf(counts), myHandle)),
    [add, echoes, myHandle],
  );
  const live = useLiveSpace(id, { onReactions, mediaActive });
  const actions = useSpaceActions(id, live);
  const me = live.space ? viewerStanding(live.space, live.me, account, live.removed) : null;
  const mic = useMicrophone(id, {
    allowed: me !== null && isOnStage(me.standing) && live.space?.state === "live",
    muted: me?.muted ?? false,
    handle: myHandle,
    actions,
  });

  // The media says the Space document changed (stage, roles, mutes, the end): read it again.
  useAnnouncedVersion(live, media);

  if (live.notFound) {
    return (
      <div className="page narrow">
        <title>Space not found · Amphi</title>
        <EmptyState title="This Space doesn't exist" icon={<Icon name="wave" size={28} />}>
          <p>The link may be wrong, or the Space was never created.</p>
          <Link to="/" className="btn btn-primary">
            See what's live
          </Link>
        </EmptyState>
      </div>
    );
  }
  if (!live.space || !me) {
    if (live.error) {
      return (
        <div className="page narrow">
          <ErrorNotice
            error={live.error}
            title="We couldn't load this Space"
            onRetry={() => void live.refresh()}
          />
        </div>
      );
    }
    return <SpaceSkeleton />;
  }

  const space =
    mediaActive && media?.listeners != null && live.space.state === "live"
      ? { ...live.space, counts: { ...live.space.counts, listeners: media.listeners } }
      : live.space;
  const speaking = mediaActive && media ? Object.keys(media.speaking) : live.speaking;
  const { standing } = me;
  // Someone not logged in who holds a ticket reacts as a listener.
  const reactsAs = standing === "anonymous" && ticket !== null ? "listener" : standing;
  const canReact = can("react", reactsAs, space.state);
  const showRequests = isManager(standing) && space.state === "live";

  function onReact(emoji: ReactionEmoji) {
    add([{ emoji, handle: myHandle }]);
    // Its echo comes back nameless in the media (or, with a ticket, on any path).
    if (!myHandle || mediaActiveRef.current) echoes.pressed(emoji);
    if (myHandle) {
      void actions.react(emoji);
    } else {
      void actions.react(emoji, ticket);
    }
  }

  return (
    <>
      <title>{`${space.title} · Amphi`}</title>
      <div className="space-page" data-testid="space-page" data-live-status={live.status}>
        <div className="space-main">
          <SpaceHeader
            space={space}
            status={live.status}
            report={
              standing !== "host" && (
                <ReportButton
                  target={{ type: "space", id: space.id }}
                  subject={`“${space.title}”`}
                  moment={() => moment.current?.() ?? null}
                />
              )
            }
          >
            <HostControls space={space} standing={standing} actions={actions} />
          </SpaceHeader>
          <SpaceNotice space={space} standing={standing} />
          {isManager(standing) && space.state === "live" && (
            <RecordingPausedNotice recording={live.recording} />
          )}
          <InvitationBanner space={space} me={me} actions={actions} />
          {space.state === "scheduled" && standing !== "removed" && (
            <ReminderCard
              space={space}
              loggedIn={account !== null}
              canRemind={standing !== "host"}
            />
          )}
          {space.state === "scheduled" && standing === "host" && (
            <AudienceForecastCard spaceId={space.id} />
          )}
          {standing !== "removed" && (space.state === "live" || space.state === "scheduled") && (
            <StandingBar space={space} me={me} account={account} actions={actions} mic={mic} />
          )}
          <MediaArea
            space={space}
            me={me}
            handle={myHandle}
            mic={mic}
            onSpaceEnded={() => void live.refresh()}
            onMediaLive={setMedia}
            onMediaReactions={onMediaReactions}
            momentRef={moment}
          />
          <StageGrid
            space={space}
            viewer={standing}
            selfId={account?.id ?? null}
            speaking={speaking}
            actions={actions}
          />
        </div>
        <aside className="space-side" aria-label="Space tools">
          {showRequests && (
            <RequestsPanel
              requests={live.requests}
              actions={actions}
              canInviteCohost={can("inviteCohost", standing, space.state)}
            />
          )}
          <SpaceDetails space={space} />
        </aside>
        {space.state === "live" && (
          <div className="space-reactions">
            <ReactionBar
              enabled={canReact}
              disabledHint={canReact ? undefined : reactionHint(standing, space.requireLogin)}
              onReact={onReact}
            />
          </div>
        )}
      </div>
      <FloatingReactions items={floating.items} />
    </>
  );
}
