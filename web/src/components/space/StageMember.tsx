import { Link } from "react-router";
import type { SpaceDocument, StageEntry, Standing } from "../../api/types";
import { roleLabels } from "../../lib/roles";
import { Avatar } from "../Avatar";
import { Icon } from "../Icon";
import { profilePath } from "../ProfileLink";
import { MemberMenu } from "./MemberMenu";
import type { SpaceActions } from "./use-space-actions";

/** One person on stage: avatar, name, role and whether they are muted. */
export function StageMember({
  space,
  entry,
  viewer,
  isSelf,
  actions,
}: {
  space: SpaceDocument;
  entry: StageEntry;
  viewer: Standing;
  isSelf: boolean;
  actions: SpaceActions;
}) {
  const { handle, displayName } = entry.account;
  return (
    <li
      className={isSelf ? "stage-member stage-member-self" : "stage-member"}
      data-testid="stage-member"
      data-handle={handle}
      data-role={entry.role}
      data-muted={entry.muted ? "true" : "false"}
    >
      <div className="stage-avatar">
        <Avatar handle={handle} displayName={displayName} size={64} />
        {entry.muted && (
          <span className="muted-badge" data-testid="muted-icon">
            <Icon name="micOff" size={14} label="Muted" />
          </span>
        )}
      </div>
      <Link to={profilePath(handle)} className="stage-name">
        {displayName}
        {isSelf && <span className="visually-hidden"> (you)</span>}
      </Link>
      <span className={`role-label role-${entry.role}`}>{roleLabels[entry.role]}</span>
      {!isSelf && <MemberMenu space={space} entry={entry} viewer={viewer} actions={actions} />}
    </li>
  );
}
