import type { ReactNode } from "react";
import type { SpaceDocument } from "../../api/types";
import { formatCount, formatDateTime, formatRelative } from "../../lib/format";
import type { LiveStatus } from "../../live/live-state";
import { Avatar } from "../Avatar";
import { Icon } from "../Icon";
import { ProfileLink } from "../ProfileLink";
import { StateBadge } from "../StateBadge";
import { recordingNote } from "./recording-note";
import { ShareButton } from "./ShareButton";

function ConnectionHint({ status, state }: { status: LiveStatus; state: SpaceDocument["state"] }) {
  if (state !== "live" && state !== "scheduled") return null;
  if (status === "reconnecting") {
    return <span className="connection connection-warn">Reconnecting…</span>;
  }
  if (status === "connecting") return <span className="connection">Connecting…</span>;
  return null;
}

/** Title, host, state and the numbers of a Space, with the host's controls below. */
export function SpaceHeader({
  space,
  status,
  report,
  children,
}: {
  space: SpaceDocument;
  status: LiveStatus;
  /** The Report button, beside Share. */
  report?: ReactNode;
  children?: ReactNode;
}) {
  const listeners = space.counts.listeners;
  const recording = recordingNote(space);
  return (
    <section className="card space-header" aria-labelledby="space-title">
      <div className="space-header-top">
        <div className="space-badges">
          <StateBadge state={space.state} testId="space-state" />
          {recording.badge && (
            <span className="chip" data-testid="recording-badge">
              <Icon name="record" size={14} />
              {recording.badge}
            </span>
          )}
          <ConnectionHint status={status} state={space.state} />
        </div>
        <div className="space-header-actions">
          {report}
          <ShareButton title={space.title} />
        </div>
      </div>
      <h1 id="space-title" className="space-title" data-testid="space-title">
        {space.title}
      </h1>
      <div className="space-host">
        <Avatar handle={space.host.handle} displayName={space.host.displayName} size={28} />
        <span>
          Hosted by <ProfileLink handle={space.host.handle} displayName={space.host.displayName} />
        </span>
      </div>
      {space.description && <p className="space-description">{space.description}</p>}
      <ul className="space-meta">
        {space.state === "live" && (
          <li>
            <Icon name="headphones" size={16} />
            <span>
              <strong data-testid="listener-count">{formatCount(listeners)}</strong> listening
            </span>
          </li>
        )}
        {space.state === "live" && space.startedAt && (
          <li>
            <Icon name="wave" size={16} />
            <span>Started {formatRelative(space.startedAt)}</span>
          </li>
        )}
        {space.state === "scheduled" && (
          <li>
            <Icon name="calendar" size={16} />
            <span>
              {space.scheduledFor ? (
                <>
                  Starts{" "}
                  <time dateTime={space.scheduledFor}>{formatDateTime(space.scheduledFor)}</time> (
                  {formatRelative(space.scheduledFor)})
                </>
              ) : (
                "Starts when the host is ready"
              )}
            </span>
          </li>
        )}
        {space.state === "ended" && space.endedAt && (
          <li>
            <Icon name="calendar" size={16} />
            <span>
              Ended <time dateTime={space.endedAt}>{formatDateTime(space.endedAt)}</time>
            </span>
          </li>
        )}
      </ul>
      {children}
    </section>
  );
}
