import type { Recording, SpaceDocument } from "../api/types";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { ReplayPlayer } from "../components/player/ReplayPlayer";
import { useVodPlayer } from "../components/player/use-vod-player";
import { useRecording } from "../components/replay/use-recording";
import type { MediaLive } from "../live/use-media-live-state";

function ReplayOf({
  recording,
  onMediaLive,
}: {
  recording: Recording;
  onMediaLive: (state: MediaLive) => void;
}) {
  const vod = useVodPlayer(recording.playlistUrl, recording.durationSeconds, { onMediaLive });
  return <ReplayPlayer vod={vod} label="Replay" />;
}

/**
 * An ended Space in an embed: its replay, with who spoke when (recorded with the audio), or
 * why there is none.
 */
export function EmbedReplay({
  space,
  onMediaLive,
}: {
  space: SpaceDocument;
  onMediaLive: (state: MediaLive) => void;
}) {
  const recording = useRecording(space);
  if (recording.status === "ready" && recording.recording) {
    return <ReplayOf recording={recording.recording} onMediaLive={onMediaLive} />;
  }
  if (recording.status === "failed") {
    return (
      <ErrorNotice
        error={recording.error}
        title="We couldn't load the recording"
        onRetry={recording.reload}
      />
    );
  }
  return (
    <p className="embed-note" data-testid="embed-ended">
      {recording.status === "missing"
        ? "This Space has ended. There's no recording to replay."
        : "This Space has ended. Looking for the recording…"}
    </p>
  );
}
