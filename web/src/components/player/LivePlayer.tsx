import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { withNewestPrefix } from "../../../../src/admission/hls-url-prefix.ts";
import { listeningPlaylist } from "../../admission/listening-ticket";
import { loadQueueToken } from "../../admission/queue-token-store";
import { useAdmission } from "../../admission/use-admission";
import { useTicketHeartbeat } from "../../admission/use-ticket-heartbeat";
import type { SpaceDocument } from "../../api/types";
import { type MediaLive, useMediaLiveState } from "../../live/use-media-live-state";
import { loadHls } from "../../media/hls-attach";
import { useHlsPlayer } from "../../media/use-hls-player";
import { useMediaElement } from "../../media/use-media-element";
import { useElementVolume } from "../../media/use-volume";
import { AdmissionPanel } from "../admission/AdmissionPanel";
import { Icon } from "../Icon";
import { latencyText, liveStatusText } from "./live-status";
import { VolumeSlider } from "./VolumeSlider";

/** Whether the Space's replay can be played (for the link once the Space has ended). */
export type ReplayAvailability = "none" | "pending" | "available";

function EndedLink({ replay, onPlay }: { replay: ReplayAvailability; onPlay?: () => void }) {
  if (replay === "available") {
    return (
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        data-testid="replay-link"
        onClick={onPlay}
      >
        <Icon name="play" size={14} />
        Listen to the replay
      </button>
    );
  }
  if (replay === "pending") return <p className="muted">Looking for the recording…</p>;
  return <p className="muted">There's no recording to replay.</p>;
}

const open = (space: SpaceDocument) => space.state === "live" || space.state === "scheduled";

/**
 * The Space's live audio (LL-HLS) behind the admission gate: Listen asks for a ticket, and the
 * audio plays the ticket's playlist, or the gate's panel shows the line, the challenge or a
 * calm retry. While playing, heartbeats keep the ticket alive. Pausing lets go of the ticket and
 * the stream; listening again asks anew and starts at the live edge. Someone who was in line
 * and reloads the page is put back in line at once (the place is kept for the tab).
 */
export function LivePlayer({
  space,
  replay,
  micLive,
  volume,
  onVolume,
  onEnded,
  onMediaLive,
  onMediaReactions,
  onPlayReplay,
  loginPrompt,
  latencyRef,
}: {
  space: SpaceDocument;
  replay: ReplayAvailability;
  micLive: boolean;
  volume: number;
  onVolume: (volume: number) => void;
  /** The gate said the Space has ended before the page knew: re-read it. */
  onEnded?: () => void;
  /** The live state the audio carries, at the moment the listener hears (while playing). */
  onMediaLive?: (state: MediaLive) => void;
  /** Reactions whose moment just played. */
  onMediaReactions?: (counts: Record<string, number>) => void;
  /** Plays the replay (below the player) once the Space has ended. */
  onPlayReplay?: () => void;
  /** What to show when the host asks listeners to log in. */
  loginPrompt: ReactNode;
  /** Kept up to date with how far behind live the listener hears (null: not listening). */
  latencyRef?: RefObject<number | null>;
}) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const [listening, setListening] = useState(
    () => open(space) && loadQueueToken(space.id) !== null,
  );
  const [started, setStarted] = useState(listening);
  const isLive = space.state === "live";
  const admission = useAdmission(space.id, listening && open(space) && !micLive);
  const { state: gate, renew, retryNow, leave } = admission;
  const admitted = gate.status === "admitted" ? gate : null;
  const url = listening && admitted ? admitted.playlistUrl : null;
  const mediaLive = useMediaLiveState(audioRef, url, { onReactions: onMediaReactions });
  const player = useHlsPlayer(audioRef, url, {
    lowLatency: true,
    autoPlay: true,
    onLiveCue: mediaLive.onLiveCue,
    // The URL stays the first one (a new URL would restart the stream); each request goes
    // under the newest window's signed prefix that a heartbeat or renewal handed out.
    rewriteUrl: (requested) => withNewestPrefix(requested, listeningPlaylist(space.id)),
  });
  const onMediaLiveRef = useRef(onMediaLive);
  onMediaLiveRef.current = onMediaLive;
  const { active, speaking, stage, listeners, ended } = mediaLive;
  useEffect(() => {
    onMediaLiveRef.current?.({ active, speaking, stage, listeners, ended });
  }, [active, speaking, stage, listeners, ended]);
  const media = useMediaElement(audioRef);
  useElementVolume(audioRef, volume);
  useTicketHeartbeat(space.id, admitted?.grant ?? null, renew);

  // Fetch hls.js ahead of the click, so Listen starts at once.
  useEffect(() => {
    if (isLive) loadHls().catch(() => {});
  }, [isLive]);

  // The Space is over, or the listener went on the mic (their own voice would echo back).
  const stillOpen = open(space);
  useEffect(() => {
    if (!stillOpen || micLive) setListening(false);
  }, [stillOpen, micLive]);

  // A line that was not open yet may be now that the Space has started.
  useEffect(() => {
    if (isLive && gate.status === "not-open") retryNow();
  }, [isLive, gate.status, retryNow]);

  const onEndedRef = useRef(onEnded);
  onEndedRef.current = onEnded;
  useEffect(() => {
    if (gate.status === "ended") onEndedRef.current?.();
  }, [gate.status]);
  // The stream itself ended (EXT-X-ENDLIST played out): the Space is over, re-read it.
  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    const ended = () => onEndedRef.current?.();
    audio.addEventListener("ended", ended);
    return () => audio.removeEventListener("ended", ended);
  }, []);

  const playing = listening && admitted !== null && !media.paused;
  if (latencyRef) latencyRef.current = playing ? player.latency : null;
  function onListen() {
    if (!listening) {
      setStarted(true);
      setListening(true);
    } else if (playing) {
      setListening(false);
    } else if (admitted) {
      // Attached but blocked by the autoplay policy: this click lets it play.
      audioRef.current?.play().catch(() => {});
    } else {
      // Leaving before being let in: the place in line is given up.
      leave();
      setListening(false);
    }
  }

  const status = liveStatusText(space, player, {
    listening,
    started,
    micLive,
    paused: media.paused,
    waiting: media.waiting,
    admission: gate.status,
  });
  const phase = listening && admitted ? player.phase : "idle";
  const showControls = isLive || (space.state === "scheduled" && listening);
  const buttonText = !listening
    ? isLive
      ? "Listen"
      : "Get in line"
    : playing
      ? "Pause"
      : admitted
        ? "Listen"
        : gate.status === "queued"
          ? "Leave the line"
          : "Cancel";

  return (
    <div
      className="media-slot player live-player"
      data-testid="audio-player"
      data-phase={phase}
      data-state={space.state}
      data-admission={listening ? gate.status : "idle"}
    >
      {/* biome-ignore lint/a11y/useMediaCaption: live speech has no caption track to offer. */}
      <audio ref={audioRef} data-testid="player-audio" preload="none" />
      {showControls ? (
        <>
          <button
            type="button"
            className={
              listening && !admitted
                ? "btn btn-secondary btn-lg listen-button"
                : "btn btn-primary btn-lg listen-button"
            }
            data-testid="listen-button"
            onClick={onListen}
            disabled={micLive}
          >
            {(!listening || admitted) && <Icon name={playing ? "pause" : "play"} size={20} />}
            {buttonText}
          </button>
          <div className="player-info">
            <div className="player-badges">
              {isLive && (
                <span className="badge badge-live" data-testid="live-badge">
                  <span className="live-dot" aria-hidden="true" />
                  LIVE
                </span>
              )}
              {playing && player.phase === "ready" && player.latency !== null && (
                <span
                  className="latency"
                  title="How far behind the speakers you hear them"
                  data-testid="latency"
                >
                  {latencyText(player.latency)}
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
          {listening && (
            <div className="admission-slot">
              <AdmissionPanel spaceId={space.id} admission={admission} loginPrompt={loginPrompt} />
            </div>
          )}
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
            {space.state === "ended" && <EndedLink replay={replay} onPlay={onPlayReplay} />}
          </div>
          {space.state === "scheduled" && (
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              data-testid="join-line"
              onClick={() => {
                setStarted(true);
                setListening(true);
              }}
            >
              Get in line
            </button>
          )}
        </>
      )}
    </div>
  );
}
