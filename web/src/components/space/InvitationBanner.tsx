import type { MyStanding, SpaceDocument } from "../../api/types";
import { can } from "../../lib/permissions";
import { Icon } from "../Icon";
import type { SpaceActions } from "./use-space-actions";

/** "The host invited you to speak": Accept / Decline. */
export function InvitationBanner({
  space,
  me,
  actions,
}: {
  space: SpaceDocument;
  me: MyStanding;
  actions: SpaceActions;
}) {
  const invited = me.pending === "invitedSpeaker" || me.pending === "invitedCohost";
  if (!invited || !can("acceptInvitation", me.standing, space.state)) return null;
  const role = me.pending === "invitedCohost" ? "co-host" : "speak";
  const busy = actions.busy === "invitation";
  return (
    <section className="banner banner-accent" role="status" data-testid="invitation-banner">
      <span className="banner-icon" aria-hidden="true">
        <Icon name="mic" size={20} />
      </span>
      <p className="banner-text">
        <strong>{space.host.displayName}</strong> invited you to{" "}
        {role === "speak" ? "speak" : "be a co-host"}.
      </p>
      <div className="banner-actions">
        <button
          type="button"
          className="btn btn-primary btn-sm"
          data-testid="accept-invitation"
          onClick={actions.acceptInvitation}
          disabled={busy}
        >
          Accept
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          data-testid="decline-invitation"
          onClick={actions.declineInvitation}
          disabled={busy}
        >
          Decline
        </button>
      </div>
    </section>
  );
}
