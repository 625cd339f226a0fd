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
  speaking,
  actions,
}: {
  space: SpaceDocument;
  entry: StageEntry;
  viewer: Standing;
  isSelf: boolean;
  /** Talking now (the last `speaking` push): a ring around the avatar. */
  speaking: boolean;
  actions: SpaceActions;
}) {
  const { handle, displayName } = entry.account;
  const classes = ["stage-member", isSelf && "stage-member-self", speaking && "is-speaking"];
  return (
    <li
      className={classes.filter(Boolean).join(" ")}
      data-testid="stage-member"
      data-handle={handle}
      data-role={entry.role}
      data-muted={entry.muted ? "true" : "false"}
      data-speaking={speaking ? "true" : "false"}
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
        {speaking && <span className="visually-hidden"> (speaking)</span>}
      </Link>
      <span className={`role-label role-${entry.role}`}>{roleLabels[entry.role]}</span>
      {!isSelf && <MemberMenu space={space} entry={entry} viewer={viewer} actions={actions} />}
    </li>
  );
}
