import { useId } from "react";
import { formatClock } from "../../media/time";
import { Icon } from "../Icon";
import type { VodPlayer } from "./use-vod-player";
import { VolumeSlider } from "./VolumeSlider";

function statusText(vod: VodPlayer): string | null {
  const { phase, error } = vod.player;
  if (phase === "failed") return error ?? "This recording can't be played.";
  if (phase === "reconnecting") return "Reconnecting…";
  if (vod.media.waiting) return "Loading…";
  return null;
}

/** Plays a recording or a clip: play/pause, a seek slider with elapsed/total time, volume. */
export function ReplayPlayer({
  vod,
  label,
  testId = "replay-player",
}: {
  vod: VodPlayer;
  /** What is playing, for the controls' names ("Replay", "Clip"). */
  label: string;
  testId?: string;
}) {
  const seekId = useId();
  const { media, duration } = vod;
  const current = Math.min(media.currentTime, duration || media.currentTime);
  // 4.98 s of audio reads as 0:05, not 0:04.
  const total = formatClock(Math.round(duration));
  const status = statusText(vod);
  return (
    <div className="player replay-player" data-testid={testId} data-phase={vod.player.phase}>
      {/* biome-ignore lint/a11y/useMediaCaption: recorded speech has no caption track yet. */}
      <audio ref={vod.audioRef} data-testid="replay-audio" preload="metadata" />
      <button
        type="button"
        className="btn btn-primary player-play"
        data-testid="replay-play"
        onClick={vod.toggle}
        aria-label={media.paused ? `Play ${label.toLowerCase()}` : `Pause ${label.toLowerCase()}`}
      >
        <Icon name={media.paused ? "play" : "pause"} size={20} />
      </button>
      <div className="player-seek">
        <label htmlFor={seekId} className="visually-hidden">
          {`${label} position`}
        </label>
        <input
          id={seekId}
          type="range"
          className="range"
          min={0}
          max={Math.max(1, Math.floor(duration))}
          step={1}
          value={Math.floor(current)}
          onChange={(e) => vod.seek(Number(e.target.value))}
          aria-valuetext={`${formatClock(current)} of ${total}`}
          data-testid="replay-seek"
        />
        <span className="player-time" data-testid="replay-time">
          {formatClock(current)} / {total}
        </span>
      </div>
      <VolumeSlider value={vod.volume} onChange={vod.setVolume} testId="replay-volume" />
      <p className="player-status player-status-line" role="status">
        {status}
      </p>
    </div>
  );
}
