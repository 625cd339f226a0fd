import { type RefObject, useRef } from "react";
import type { MyStanding, SpaceDocument } from "../../api/types";
import { isOnStage } from "../../lib/roles";
import type { MediaLive } from "../../live/use-media-live-state";
import { useStageAudio } from "../../media/use-stage-audio";
import { useVolume } from "../../media/use-volume";
import {
  liveMomentSeconds,
  type MomentReader,
  replayMomentSeconds,
} from "../../moderation/report-moment";
import { LoginPrompt } from "../admission/LoginPrompt";
import { ErrorNotice } from "../feedback/ErrorNotice";
import { MicrophonePanel } from "../microphone/MicrophonePanel";
import { StageAudio } from "../microphone/StageAudio";
import type { Microphone } from "../microphone/use-microphone";
import { LivePlayer, type ReplayAvailability } from "../player/LivePlayer";
import { DeleteRecording } from "../replay/DeleteRecording";
import { type ReplayControl, ReplaySection } from "../replay/ReplaySection";
import { type RecordingState, useRecording } from "../replay/use-recording";

function replayAvailability(state: RecordingState): ReplayAvailability {
  if (state.status === "ready") return "available";
  if (state.status === "loading") return "pending";
  return "none";
}

/**
 * The Space's audio: the live player for everyone, the microphone for people on stage (with
 * the other speakers heard directly), and the replay with clips once the Space has ended.
 */
export function MediaArea({
  space,
  me,
  handle,
  mic,
  onSpaceEnded,
  onMediaLive,
  onMediaReactions,
  momentRef,
}: {
  space: SpaceDocument;
  me: MyStanding;
  handle: string | null;
  /** The viewer's microphone (shared with the standing bar). */
  mic: Microphone;
  /** The admission gate learned that the Space has ended: re-read the Space. */
  onSpaceEnded?: () => void;
  /** The live state the listener's audio carries, in step with it. */
  onMediaLive?: (state: MediaLive) => void;
  onMediaReactions?: (counts: Record<string, number>) => void;
  /** Set to read the moment the viewer is at (live or in the replay), for a notice. */
  momentRef?: RefObject<MomentReader | null>;
}) {
  const live = space.state === "live";
  const onStage = isOnStage(me.standing);
  const micLive = mic.status === "live" || mic.status === "reconnecting";
  const stageTracks = useStageAudio(space.id, micLive);
  const [volume, setVolume] = useVolume();
  const recording = useRecording(space);
  const replay = useRef<ReplayControl | null>(null);
  const latency = useRef<number | null>(null);
  if (momentRef) {
    momentRef.current = () => {
      if (space.state === "live") {
        const seconds = liveMomentSeconds(space.startedAt, Date.now(), latency.current);
        return seconds === null ? null : { seconds, moment: "live" };
      }
      if (space.state === "ended" && replay.current) {
        return { seconds: replayMomentSeconds(replay.current.position()), moment: "replay" };
      }
      return null;
    };
  }
  const showMic = onStage && (live || space.state === "scheduled") && handle !== null;

  return (
    <section className="card media-area" data-testid="media-area" aria-labelledby="media-heading">
      <div className="card-heading">
        <h2 id="media-heading">Audio</h2>
      </div>
      <div className="media-slots">
        <LivePlayer
          space={space}
          replay={replayAvailability(recording)}
          micLive={micLive}
          volume={volume}
          onVolume={setVolume}
          onEnded={onSpaceEnded}
          onMediaLive={onMediaLive}
          onMediaReactions={onMediaReactions}
          onPlayReplay={() => replay.current?.play()}
          loginPrompt={<LoginPrompt />}
          latencyRef={latency}
        />
        {showMic && <MicrophonePanel mic={mic} live={live} />}
      </div>
      <StageAudio tracks={stageTracks} volume={volume} />
      {recording.status === "ready" && recording.recording && (
        <ReplaySection
          recording={recording.recording}
          canClip={handle !== null}
          onMediaLive={onMediaLive}
          onMediaReactions={onMediaReactions}
          controlRef={replay}
        />
      )}
      {recording.status === "ready" && me.standing === "host" && (
        <DeleteRecording spaceId={space.id} onDeleted={recording.reload} />
      )}
      {recording.status === "deleted" && (
        <p className="muted" role="status" data-testid="recording-deleted">
          The host deleted this recording.
        </p>
      )}
      {recording.status === "failed" && (
        <ErrorNotice
          error={recording.error}
          title="We couldn't load the recording"
          onRetry={recording.reload}
        />
      )}
    </section>
  );
}
