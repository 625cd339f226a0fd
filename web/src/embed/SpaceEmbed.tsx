import { useCallback, useState } from "react";
import type { SpaceDocument } from "../api/types";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { LivePlayer } from "../components/player/LivePlayer";
import { StateBadge } from "../components/StateBadge";
import { formatCount, formatDateTime, formatRelative } from "../lib/format";
import { useAnnouncedVersion } from "../live/use-announced-version";
import { useLiveSpace } from "../live/use-live-space";
import type { MediaLive } from "../live/use-media-live-state";
import { useVolume } from "../media/use-volume";
import { currentSpeaker } from "./current-speaker";
import { EmbedLoginPrompt } from "./EmbedLoginPrompt";
import { EmbedReplay } from "./EmbedReplay";
import { EmbedLoading, EmbedShell, EmbedUnavailable } from "./EmbedShell";
import { amphiPageOf } from "./embed-route";
import { SpeakerAvatar } from "./SpeakerAvatar";

/** "1,234 listening" live, "1,234 listened" once over (distinct listeners); nothing before. */
function audienceText(space: SpaceDocument, listeners: number): string | null {
  if (space.state === "live") return `${formatCount(listeners)} listening`;
  if (space.state === "ended" && space.audience) {
    return `${formatCount(space.audience.uniqueListeners)} listened`;
  }
  return null;
}

/**
 * `/embed/:spaceId`: a Space's player for other sites. The live audio behind the admission
 * gate (the waiting room with the place in line when it is full), the start time of a Space
 * not started yet, the replay of an ended one; who is speaking and the listener count come
 * with the audio while it plays (docs/live-state.md), and from the cacheable document
 * otherwise. No session, no cookie: the ticket lives in the page.
 */
export function SpaceEmbed({ spaceId }: { spaceId: string }) {
  const openUrl = amphiPageOf({ kind: "space", spaceId });
  const [media, setMedia] = useState<MediaLive | null>(null);
  const mediaActive = media?.active === true;
  const live = useLiveSpace(spaceId, { mediaActive });
  useAnnouncedVersion(live, media);
  const [volume, setVolume] = useVolume();
  const { refresh } = live;
  const reread = useCallback(() => void refresh(), [refresh]);

  if (live.notFound) return <EmbedUnavailable what="Space" openUrl={openUrl} />;
  const held = live.space;
  if (!held) {
    if (!live.error) return <EmbedLoading what="Space" openUrl={openUrl} />;
    return (
      <EmbedShell openUrl={openUrl} testId="space-embed">
        <ErrorNotice error={live.error} title="We couldn't load this Space" onRetry={reread} />
      </EmbedShell>
    );
  }

  const space = held;
  const listeners =
    mediaActive && media?.listeners != null && space.state === "live"
      ? media.listeners
      : space.counts.listeners;
  const speaker = mediaActive && media ? currentSpeaker(space.stage, media.speaking) : null;
  const audience = audienceText(space, listeners);
  const open = space.state === "live" || space.state === "scheduled";

  return (
    <EmbedShell openUrl={openUrl} testId="space-embed" state={space.state}>
      <title>{`${space.title} · Amphi`}</title>
      <header className="embed-head">
        <SpeakerAvatar account={speaker?.account ?? space.host} speaking={speaker !== null} />
        <div className="embed-titles">
          <h1 className="embed-title" data-testid="embed-title" title={space.title}>
            {space.title}
          </h1>
          <p className="embed-meta">
            <span data-testid="embed-host">{space.host.displayName}</span>
            {speaker && (
              <span className="embed-speaking" data-testid="embed-speaker">
                {`${speaker.account.displayName} is speaking`}
              </span>
            )}
          </p>
        </div>
        <div className="embed-state">
          <StateBadge state={space.state} testId="embed-state" />
          {audience && (
            <span className="embed-audience" data-testid="listener-count" data-count={listeners}>
              {audience}
            </span>
          )}
        </div>
      </header>
      {space.state === "scheduled" && (
        <p className="embed-note" data-testid="embed-scheduled">
          {space.scheduledFor ? (
            <>
              Scheduled for{" "}
              <time dateTime={space.scheduledFor}>{formatDateTime(space.scheduledFor)}</time> (
              {formatRelative(space.scheduledFor)})
            </>
          ) : (
            "Scheduled: it starts when the host is ready"
          )}
        </p>
      )}
      {open && (
        <LivePlayer
          space={space}
          replay="none"
          micLive={false}
          volume={volume}
          onVolume={setVolume}
          onEnded={reread}
          onMediaLive={setMedia}
          loginPrompt={<EmbedLoginPrompt openUrl={openUrl} />}
        />
      )}
      {space.state === "ended" && <EmbedReplay space={space} onMediaLive={setMedia} />}
      {space.state === "cancelled" && (
        <p className="embed-note" data-testid="embed-cancelled">
          This Space was cancelled.
        </p>
      )}
    </EmbedShell>
  );
}
