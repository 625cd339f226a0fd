import { Link } from "react-router";
import type { SpaceDocument } from "../../api/types";
import { formatCount, formatDateTime, formatRelative } from "../../lib/format";
import { Avatar } from "../Avatar";
import { Icon } from "../Icon";
import { StateBadge } from "../StateBadge";

function Faces({ space }: { space: SpaceDocument }) {
  const shown = space.stage.filter((e) => e.role !== "listener").slice(0, 4);
  if (shown.length <= 1) return null;
  return (
    <span className="faces" aria-hidden="true">
      {shown.map((e) => (
        <Avatar
          key={e.account.id}
          handle={e.account.handle}
          displayName={e.account.displayName}
          size={24}
        />
      ))}
    </span>
  );
}

/**
 * A Space in a list: what it is, who hosts, how many listen or when it starts. `note` is a
 * short label beside the state ("You follow"); `replay` makes an ended Space's button play it.
 */
export function SpaceCard({
  space,
  note,
  replay = false,
}: {
  space: SpaceDocument;
  note?: string;
  replay?: boolean;
}) {
  const live = space.state === "live";
  const action = live ? "Join" : replay ? "Replay" : "Details";
  const path = `/spaces/${encodeURIComponent(space.id)}`;
  return (
    <article
      className={live ? "space-card space-card-live" : "space-card"}
      data-testid="space-card"
      data-space-id={space.id}
    >
      <div className="space-card-top">
        <span className="space-card-badges">
          <StateBadge state={space.state} />
          {note && (
            <span className="badge badge-note" data-testid="space-card-note">
              {note}
            </span>
          )}
        </span>
        {live ? (
          <span className="space-card-meta">
            <Icon name="headphones" size={15} />
            {formatCount(space.counts.listeners)} listening
          </span>
        ) : space.state === "ended" && space.endedAt ? (
          <span className="space-card-meta">
            <time dateTime={space.endedAt} title={formatDateTime(space.endedAt)}>
              Ended {formatRelative(space.endedAt).replace(/^now$/, "just now")}
            </time>
          </span>
        ) : space.scheduledFor ? (
          <span className="space-card-meta">
            <Icon name="calendar" size={15} />
            <time dateTime={space.scheduledFor} title={formatRelative(space.scheduledFor)}>
              {formatDateTime(space.scheduledFor)}
            </time>
          </span>
        ) : (
          <span className="space-card-meta">Starts soon</span>
        )}
      </div>
      <h3 className="space-card-title">{space.title}</h3>
      {space.description && <p className="space-card-desc">{space.description}</p>}
      <div className="space-card-bottom">
        <span className="space-card-host">
          <Avatar handle={space.host.handle} displayName={space.host.displayName} size={28} />
          <span>
            <span className="space-card-host-name">{space.host.displayName}</span>
            <span className="handle">@{space.host.handle}</span>
          </span>
          <Faces space={space} />
        </span>
        <Link
          to={path}
          className={`btn btn-sm stretched-link ${live ? "btn-primary" : "btn-secondary"}`}
          aria-label={`${action}${live || replay ? "" : ":"} ${space.title}`}
          data-testid={live ? "join-space" : replay ? "play-replay" : "space-details"}
        >
          {replay && <Icon name="play" size={14} />}
          {action}
        </Link>
      </div>
    </article>
  );
}
