import { type RefObject, useEffect, useRef } from "react";
import { Link, useLocation } from "react-router";
import type { Recording } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { Icon } from "../Icon";
import { ReplayPlayer } from "../player/ReplayPlayer";
import { useVodPlayer, type VodLiveStateOptions } from "../player/use-vod-player";
import { ClipForm } from "./ClipForm";

/** What the page may ask of the replay from elsewhere ("Listen to the replay"). */
export interface ReplayControl {
  /** Brings the replay into view and plays it. */
  play: () => void;
  /** Where the replay is, in seconds (what a notice about "this moment" points at). */
  position: () => number;
}

/** An ended Space's recording: the replay, a download link and (logged in) the clip maker. */
export function ReplaySection({
  recording,
  canClip,
  controlRef,
  ...liveState
}: {
  recording: Recording;
  canClip: boolean;
  controlRef?: RefObject<ReplayControl | null>;
} & VodLiveStateOptions) {
  // The replay shows rings and reactions at the moment they happened (recorded in the parts).
  const vod = useVodPlayer(recording.playlistUrl, recording.durationSeconds, liveState);
  const location = useLocation();
  const section = useRef<HTMLElement>(null);
  const { play, audioRef } = vod;
  useEffect(() => {
    if (!controlRef) return;
    controlRef.current = {
      play: () => {
        section.current?.scrollIntoView({ block: "start", behavior: "smooth" });
        section.current?.focus({ preventScroll: true });
        play();
      },
      position: () => audioRef.current?.currentTime ?? 0,
    };
    return () => {
      controlRef.current = null;
    };
  }, [controlRef, play, audioRef]);
  return (
    <section
      ref={section}
      id="replay"
      className="replay"
      tabIndex={-1}
      aria-labelledby="replay-heading"
      data-testid="replay"
    >
      <div className="replay-heading">
        <h3 id="replay-heading">Replay</h3>
        <a
          href={recording.downloadUrl}
          download
          className="btn btn-secondary btn-sm"
          data-testid="replay-download"
        >
          <Icon name="download" size={16} />
          Download
        </a>
      </div>
      <ReplayPlayer vod={vod} label="Replay" />
      {recording.expiresAt && (
        <p className="field-hint">
          Kept until{" "}
          <time dateTime={recording.expiresAt}>{formatDateTime(recording.expiresAt)}</time>.
        </p>
      )}
      {canClip ? (
        <ClipForm
          spaceId={recording.spaceId}
          position={vod.media.currentTime}
          duration={vod.duration}
        />
      ) : (
        <p className="field-hint">
          <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</Link> to cut a
          clip of up to a minute and share it.
        </p>
      )}
    </section>
  );
}
