import { useEffect, useRef, useState } from "react";
import type { SpaceDocument } from "../../api/types";
import { loadHls } from "../../media/hls-attach";
import { useHlsPlayer } from "../../media/use-hls-player";
import { useMediaElement } from "../../media/use-media-element";
import { useElementVolume } from "../../media/use-volume";
import { Icon } from "../Icon";
import { liveStatusText } from "./live-status";
import { VolumeSlider } from "./VolumeSlider";

/** Whether the Space's replay can be played (for the link once the Space has ended). */
export type ReplayAvailability = "none" | "pending" | "available";

function EndedLink({ replay }: { replay: ReplayAvailability }) {
  if (replay === "available") {
    return (
      <a href="#replay" className="btn btn-secondary btn-sm" data-testid="replay-link">
        <Icon name="play" size={14} />
        Listen to the replay
      </a>
    );
  }
  if (replay === "pending") return <p className="muted">Looking for the recording…</p>;
  return <p className="muted">There's no recording to replay.</p>;
}

/**
 * The Space's live audio (LL-HLS): a big Listen button (browsers block autoplay until a
 * click), volume, the LIVE badge and how far behind live the listener is. Pausing lets go
 * of the stream; listening again starts at the live edge.
 */
export function LivePlayer({
  space,
  replay,
  micLive,
  volume,
  onVolume,
}: {
  space: SpaceDocument;
  replay: ReplayAvailability;
  micLive: boolean;
  volume: number;
  onVolume: (volume: number) => void;
}) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const [listening, setListening] = useState(false);
  const [started, setStarted] = useState(false);
  const isLive = space.state === "live";
  const url = isLive && listening ? space.playlistUrl : null;
  const player = useHlsPlayer(audioRef, url, { lowLatency: true, autoPlay: true });
  const media = useMediaElement(audioRef);
  useElementVolume(audioRef, volume);

  // Fetch hls.js ahead of the click, so Listen starts at once.
  useEffect(() => {
    if (isLive) loadHls().catch(() => {});
  }, [isLive]);

  // The Space is over, or the listener went on the mic (their own voice would echo back).
  useEffect(() => {
    if (!isLive || micLive) setListening(false);
  }, [isLive, micLive]);

  const playing = listening && !media.paused;
  function onListen() {
    if (playing) {
      setListening(false);
    } else if (listening) {
      // Attached but blocked by the autoplay policy: this click lets it play.
      audioRef.current?.play().catch(() => {});
    } else {
      setStarted(true);
      setListening(true);
    }
  }

  const status = liveStatusText(space, player, {
    listening,
    started,
    micLive,
    paused: media.paused,
    waiting: media.waiting,
  });
  const phase = listening ? player.phase : "idle";

  return (
    <div
      className="media-slot player live-player"
      data-testid="audio-player"
      data-phase={phase}
      data-state={space.state}
    >
      {/* biome-ignore lint/a11y/useMediaCaption: live speech has no caption track to offer. */}
      <audio ref={audioRef} data-testid="player-audio" preload="none" />
      {isLive ? (
        <>
          <button
            type="button"
            className="btn btn-primary btn-lg listen-button"
            data-testid="listen-button"
            onClick={onListen}
            disabled={!space.playlistUrl}
          >
            <Icon name={playing ? "pause" : "play"} size={20} />
            {playing ? "Pause" : "Listen"}
          </button>
          <div className="player-info">
            <div className="player-badges">
              <span className="badge badge-live" data-testid="live-badge">
                <span className="live-dot" aria-hidden="true" />
                LIVE
              </span>
              {playing && player.phase === "ready" && player.latency !== null && (
                <span className="latency" title="How far behind the speakers you hear them">
                  <span className="visually-hidden">Delay: </span>
                  <span data-testid="latency">{player.latency.toFixed(1)} s</span>
                </span>
              )}
            </div>
            <p
              className={phase === "reconnecting" ? "player-status warn" : "player-status"}
              role="status"
              data-testid="player-status"
            >
              {status}
            </p>
          </div>
          <VolumeSlider value={volume} onChange={onVolume} testId="player-volume" />
        </>
      ) : (
        <>
          <span className="media-icon" aria-hidden="true">
            <Icon name="headphones" size={22} />
          </span>
          <div className="player-info">
            <p className="player-status" role="status" data-testid="player-status">
              {status}
            </p>
            {space.state === "ended" && <EndedLink replay={replay} />}
          </div>
        </>
      )}
    </div>
  );
}
