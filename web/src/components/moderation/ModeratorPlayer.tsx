import { useRef, useState } from "react";
import type { Playback } from "../../api/types";
import { playAudio } from "../../media/play";
import { formatClock } from "../../media/time";
import { useHlsPlayer } from "../../media/use-hls-player";
import { useMediaElement } from "../../media/use-media-element";
import { Icon } from "../Icon";
import { ReplayPlayer } from "../player/ReplayPlayer";
import { useVodPlayer } from "../player/use-vod-player";

/** The Space as it is now: its live playlist, behind no admission line (moderators only). */
function LivePlayback({ playback }: { playback: Playback }) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const [on, setOn] = useState(false);
  const player = useHlsPlayer(audioRef, on ? playback.playlistUrl : null, {
    lowLatency: true,
    autoPlay: true,
  });
  const media = useMediaElement(audioRef);
  const playing = on && !media.paused && player.phase === "ready";
  const status = !on
    ? "Not playing"
    : player.phase === "failed"
      ? (player.error ?? "The live audio can't be played.")
      : player.phase === "ready"
        ? media.paused
          ? "Press Listen to play"
          : `Playing live${player.latency !== null ? `, ${player.latency.toFixed(1)} s behind` : ""}`
        : "Connecting…";
  return (
    <div
      className="player moderator-live"
      data-testid="moderator-player"
      data-kind="live"
      data-phase={on ? player.phase : "idle"}
    >
      {/* biome-ignore lint/a11y/useMediaCaption: live speech has no caption track to offer. */}
      <audio ref={audioRef} data-testid="moderator-audio" preload="none" />
      <button
        type="button"
        className="btn btn-primary"
        data-testid="moderator-listen"
        onClick={() => {
          if (!on) setOn(true);
          else if (media.paused && audioRef.current) playAudio(audioRef.current);
          else setOn(false);
        }}
      >
        <Icon name={playing ? "pause" : "play"} size={18} />
        {playing ? "Stop" : "Listen live"}
      </button>
      <span className="badge badge-live">
        <span className="live-dot" aria-hidden="true" />
        LIVE
      </span>
      <p className="player-status" role="status" data-testid="moderator-player-status">
        {status}
      </p>
    </div>
  );
}

/** The recording, from the reported moment (or a clip's start). */
function RecordingPlayback({ playback }: { playback: Playback }) {
  const vod = useVodPlayer(playback.playlistUrl, 0);
  const offset = playback.offsetSeconds ?? 0;
  function playMoment() {
    const audio = vod.audioRef.current;
    if (!audio) return;
    const go = () => {
      audio.currentTime = offset;
      playAudio(audio);
    };
    if (audio.readyState >= 1) go();
    else {
      audio.addEventListener("loadedmetadata", go, { once: true });
      audio.load();
    }
  }
  return (
    <div className="moderator-recording" data-testid="moderator-player" data-kind="recording">
      <div className="moderator-recording-head">
        <button
          type="button"
          className="btn btn-primary btn-sm"
          onClick={playMoment}
          data-testid="play-moment"
        >
          <Icon name="play" size={16} />
          Play from {formatClock(offset)}
        </button>
        {playback.downloadUrl && (
          <a href={playback.downloadUrl} download className="btn btn-secondary btn-sm">
            <Icon name="download" size={16} />
            Download
          </a>
        )}
      </div>
      <ReplayPlayer vod={vod} label="Recording" testId="moderator-replay" />
    </div>
  );
}

/**
 * What a moderator hears of a notice: the live Space (the moment reported was seconds ago),
 * or the recording at the reported moment.
 */
export function ModeratorPlayer({ playback }: { playback: Playback | null }) {
  if (!playback) return <p className="muted">There is nothing to play for this notice.</p>;
  return playback.kind === "live" ? (
    <LivePlayback playback={playback} />
  ) : (
    <RecordingPlayback playback={playback} />
  );
}
