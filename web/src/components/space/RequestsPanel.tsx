import type { AccountSummary } from "../../api/types";
import { Avatar } from "../Avatar";
import { ProfileLink } from "../ProfileLink";
import { InviteForm } from "./InviteForm";
import type { SpaceActions } from "./use-space-actions";

/** For hosts and co-hosts: who asks to speak, each with Accept and Decline. */
export function RequestsPanel({
  requests,
  actions,
  canInviteCohost,
}: {
  requests: AccountSummary[];
  actions: SpaceActions;
  canInviteCohost: boolean;
}) {
  return (
    <section className="card" data-testid="requests-panel" aria-labelledby="requests-heading">
      <div className="card-heading">
        <h2 id="requests-heading">Requests to speak</h2>
        <span className="count-pill">
          {requests.length}
          <span className="visually-hidden"> waiting</span>
        </span>
      </div>
      {requests.length === 0 ? (
        <p className="muted">No requests right now. They appear here as listeners raise a hand.</p>
      ) : (
        <ul className="request-list" aria-live="polite">
          {requests.map((person) => {
            const busy =
              actions.busy === `accept:${person.handle}` ||
              actions.busy === `decline:${person.handle}`;
            return (
              <li
                key={person.id}
                className="request-item"
                data-testid="request-item"
                data-handle={person.handle}
              >
                <Avatar handle={person.handle} displayName={person.displayName} size={36} />
                <span className="request-name">
                  <ProfileLink handle={person.handle} displayName={person.displayName} />
                </span>
                <span className="request-actions">
                  <button
                    type="button"
                    className="btn btn-primary btn-sm"
                    data-testid="accept-request"
                    aria-label={`Accept ${person.displayName}`}
                    onClick={() => actions.acceptRequest(person.handle)}
                    disabled={busy}
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    data-testid="decline-request"
                    aria-label={`Decline ${person.displayName}`}
                    onClick={() => actions.declineRequest(person.handle)}
                    disabled={busy}
                  >
                    Decline
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <InviteForm actions={actions} canInviteCohost={canInviteCohost} />
    </section>
  );
}
