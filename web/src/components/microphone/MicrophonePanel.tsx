import { Icon } from "../Icon";
import { MicLevelMeter } from "./MicLevelMeter";
import { micJoined } from "./mic-state";
import type { Microphone } from "./use-microphone";

/**
 * The speaker's microphone: join (browser permission, then WHIP, then on air), a level meter,
 * mute (the same state the standing bar shows and the hosts see) and leave. A lost connection
 * shows "Reconnecting…" (announced politely) while it is replaced by itself; mute and leave
 * keep working meanwhile.
 */
export function MicrophonePanel({
  mic,
  live,
}: {
  mic: Microphone;
  /** The Space is live (a scheduled Space's speakers wait). */
  live: boolean;
}) {
  const { status, phase } = mic;
  const joined = micJoined(status);
  const muted = phase === "muted" || phase === "mutedByHost";
  const tone = phase === "error" || phase === "denied" ? "mic-status bad" : `mic-status ${phase}`;
  return (
    <div
      className="media-slot mic-panel"
      data-testid="microphone"
      data-status={status}
      data-phase={phase}
    >
      <div className="mic-head">
        <span className={phase === "live" ? "media-icon on" : "media-icon"} aria-hidden="true">
          <Icon name={muted ? "micOff" : "mic"} size={22} />
        </span>
        <div className="player-info">
          <p className="media-title">Microphone</p>
          <p className={tone} role="status" aria-live="polite" data-testid="mic-status">
            {mic.text}
          </p>
        </div>
      </div>
      {phase === "mutedByHost" && (
        <p className="mic-hint mic-notice" role="alert" data-testid="mic-muted-by-host">
          A host muted you. The others can't hear you; unmute when you're ready to speak again.
        </p>
      )}
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
              onClick={muted ? mic.unmute : mic.mute}
              disabled={mic.busy}
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
            onClick={mic.join}
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
