import { Link, useLocation } from "react-router";
import type { Account, MyStanding, SpaceDocument } from "../../api/types";
import { can } from "../../lib/permissions";
import { isOnStage, standingLabels } from "../../lib/roles";
import { Avatar } from "../Avatar";
import { Icon } from "../Icon";
import type { Microphone } from "../microphone/use-microphone";
import type { SpaceActions } from "./use-space-actions";

function requestHint(space: SpaceDocument): string {
  if (space.speakerRequests === "invited") return "The host invites speakers in this Space.";
  if (space.speakerRequests === "followed")
    return "The host takes requests from people they follow.";
  return "";
}

/** Where the viewer stands (listener, speaker...) and what they can do about it. */
export function StandingBar({
  space,
  me,
  account,
  actions,
  mic,
}: {
  space: SpaceDocument;
  me: MyStanding;
  account: Account | null;
  actions: SpaceActions;
  /** The viewer's microphone: the same state (and actions) as the Microphone panel. */
  mic: Microphone;
}) {
  const location = useLocation();
  const { standing, pending } = me;
  const { busy } = actions;
  const handle = account?.handle ?? "";
  const canAsk = can("requestToSpeak", standing, space.state);
  const showRequest = canAsk && pending === "none" && me.canRequestToSpeak;
  const showCancel = can("cancelRequest", standing, space.state) && pending === "requested";
  const onAir = space.state === "live" && isOnStage(standing);
  const showMute = onAir && can("muteSelf", standing, space.state) && mic.phase === "live";
  const showUnmute =
    onAir &&
    can("unmuteSelf", standing, space.state) &&
    mic.phase !== "live" &&
    mic.phase !== "connecting" &&
    mic.phase !== "reconnecting";
  const micOn = mic.phase === "live";
  const showLeave = can("leaveStage", standing, space.state);
  const hint = canAsk && pending === "none" && !me.canRequestToSpeak ? requestHint(space) : "";

  return (
    <section className="card standing-bar" aria-label="Your place in this Space">
      <div className="standing-who">
        {account ? (
          <Avatar handle={account.handle} displayName={account.displayName} size={36} />
        ) : (
          <span className="standing-icon" aria-hidden="true">
            <Icon name="headphones" size={20} />
          </span>
        )}
        <div>
          <p className="standing-label">
            You're{" "}
            <strong className={`role-label role-${standing}`} data-testid="my-standing">
              {standingLabels[standing]}
            </strong>
            {onAir ? (
              <span
                className={micOn ? "standing-mic on" : `standing-mic ${mic.phase}`}
                data-phase={mic.phase}
              >
                <Icon name={micOn ? "mic" : "micOff"} size={16} />
                <span data-testid="standing-mic-status">{mic.text}</span>
              </span>
            ) : null}
          </p>
          {pending === "requested" && (
            <p className="standing-sub" role="status">
              Request sent. The hosts will see it.
            </p>
          )}
          {standing === "anonymous" && (
            <p className="standing-sub">
              <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</Link> to ask
              to speak.{" "}
              {space.requireLogin ? "Reactions need an account too." : "Listening, you can react."}
            </p>
          )}
          {hint && <p className="standing-sub">{hint}</p>}
          {space.state === "scheduled" && standing !== "host" && standing !== "anonymous" && (
            <p className="standing-sub">
              It hasn't started yet. Keep this page open: it updates when the Space goes live.
            </p>
          )}
        </div>
      </div>
      <div className="standing-actions">
        {showRequest && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="request-to-speak"
            onClick={actions.requestToSpeak}
            disabled={busy === "request"}
          >
            <Icon name="hand" size={16} />
            Request to speak
          </button>
        )}
        {showCancel && (
          <button
            type="button"
            className="btn btn-secondary"
            data-testid="cancel-request"
            onClick={actions.cancelRequest}
            disabled={busy === "request"}
          >
            Cancel request
          </button>
        )}
        {showMute && (
          <button
            type="button"
            className="btn btn-secondary"
            data-testid="mute-self"
            onClick={mic.mute}
            disabled={mic.busy}
          >
            <Icon name="micOff" size={16} />
            Mute
          </button>
        )}
        {showUnmute && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="unmute-self"
            onClick={mic.unmute}
            disabled={mic.busy}
          >
            <Icon name="mic" size={16} />
            {mic.phase === "muted" || mic.phase === "mutedByHost" ? "Unmute" : "Turn mic on"}
          </button>
        )}
        {showLeave && (
          <button
            type="button"
            className="btn btn-secondary"
            data-testid="leave-stage"
            onClick={() => actions.moveToListener(handle)}
            disabled={busy === `listener:${handle}`}
          >
            Leave stage
          </button>
        )}
      </div>
    </section>
  );
}
