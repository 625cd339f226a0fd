import { Link, useLocation } from "react-router";
import type { Account, MyStanding, SpaceDocument } from "../../api/types";
import { can } from "../../lib/permissions";
import { standingLabels } from "../../lib/roles";
import { Avatar } from "../Avatar";
import { Icon } from "../Icon";
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
}: {
  space: SpaceDocument;
  me: MyStanding;
  account: Account | null;
  actions: SpaceActions;
}) {
  const location = useLocation();
  const { standing, pending, muted } = me;
  const { busy } = actions;
  const handle = account?.handle ?? "";
  const canAsk = can("requestToSpeak", standing, space.state);
  const showRequest = canAsk && pending === "none" && me.canRequestToSpeak;
  const showCancel = can("cancelRequest", standing, space.state) && pending === "requested";
  const showMute = can("muteSelf", standing, space.state) && !muted;
  const showUnmute = can("unmuteSelf", standing, space.state) && muted;
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
            {space.state === "live" &&
            (standing === "speaker" || standing === "cohost" || standing === "host") ? (
              <span className="standing-mic">
                {muted ? (
                  <Icon name="micOff" size={16} label="Muted" />
                ) : (
                  <Icon name="mic" size={16} label="Mic on" />
                )}
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
              <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</Link> to
              react and ask to speak.
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
            onClick={() => actions.mute(handle)}
            disabled={busy === `mute:${handle}`}
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
            onClick={() => actions.unmute(handle)}
            disabled={busy === `unmute:${handle}`}
          >
            <Icon name="mic" size={16} />
            Unmute
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
