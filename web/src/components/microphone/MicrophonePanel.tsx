import type { MicStatus, WhipPublisher } from "../../media/use-whip-publisher";
import { Icon } from "../Icon";
import { MicLevelMeter } from "./MicLevelMeter";

function statusText(status: MicStatus, muted: boolean, error: string | null): string {
  switch (status) {
    case "idle":
      return "Mic off";
    case "requesting":
    case "connecting":
      return "Connecting…";
    case "reconnecting":
      return "Reconnecting…";
    case "live":
      return muted ? "Muted" : "Live";
    case "denied":
      return "Permission denied";
    case "error":
      return error ?? "The microphone stopped.";
  }
}

/** Joined (or joining): the session exists, so the panel offers mute and leave. */
const active = (status: MicStatus) =>
  status === "requesting" ||
  status === "connecting" ||
  status === "live" ||
  status === "reconnecting";

/**
 * The speaker's microphone: join (browser permission, then WHIP), a level meter, mute
 * (the same mute the hosts see) and leave. A lost connection shows "Reconnecting…" (announced
 * politely) while it is replaced by itself; mute and leave keep working meanwhile.
 */
export function MicrophonePanel({
  mic,
  live,
  muted,
  muteBusy,
  onToggleMute,
}: {
  mic: WhipPublisher;
  /** The Space is live (a scheduled Space's speakers wait). */
  live: boolean;
  muted: boolean;
  muteBusy: boolean;
  onToggleMute: () => void;
}) {
  const { status } = mic;
  const joined = active(status);
  const tone =
    status === "error" || status === "denied" ? "mic-status bad" : `mic-status ${status}`;
  return (
    <div className="media-slot mic-panel" data-testid="microphone" data-status={status}>
      <div className="mic-head">
        <span
          className={status === "live" && !muted ? "media-icon on" : "media-icon"}
          aria-hidden="true"
        >
          <Icon name={muted && joined ? "micOff" : "mic"} size={22} />
        </span>
        <div className="player-info">
          <p className="media-title">Microphone</p>
          <p className={tone} role="status" aria-live="polite" data-testid="mic-status">
            {statusText(status, muted, mic.error)}
          </p>
        </div>
      </div>
      {status === "reconnecting" && (
        <p className="mic-hint" data-testid="mic-reconnecting">
          The connection to the audio server dropped. You'll be back on air by yourself in a moment:
          no need to reload.
        </p>
      )}
      {status === "denied" && (
        <p className="mic-hint">
          Your browser blocked the microphone. Allow it for this site (the icon in the address bar),
          then try again.
        </p>
      )}
      {!live && (
        <p className="mic-hint">You can join with your microphone once the Space is live.</p>
      )}
      <MicLevelMeter stream={mic.stream} />
      <div className="mic-actions">
        {joined ? (
          <>
            <button
              type="button"
              className={muted ? "btn btn-primary btn-sm" : "btn btn-secondary btn-sm"}
              data-testid="mic-mute"
              onClick={onToggleMute}
              disabled={muteBusy}
            >
              <Icon name={muted ? "mic" : "micOff"} size={16} />
              {muted ? "Unmute mic" : "Mute mic"}
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              data-testid="leave-mic"
              onClick={mic.leave}
            >
              Leave microphone
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="join-mic"
            onClick={() => void mic.join()}
            disabled={!live}
          >
            <Icon name="mic" size={18} />
            {status === "denied" || status === "error" ? "Try again" : "Join with microphone"}
          </button>
        )}
      </div>
    </div>
  );
}
