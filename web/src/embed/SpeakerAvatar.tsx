import type { AccountSummary } from "../api/types";
import { Avatar } from "../components/Avatar";

/** The face of the embed: who speaks now (with the speaking ring), else the host. */
export function SpeakerAvatar({
  account,
  speaking,
}: {
  account: AccountSummary;
  speaking: boolean;
}) {
  return (
    <span
      className={speaking ? "embed-avatar is-speaking" : "embed-avatar"}
      data-testid="embed-avatar"
      data-handle={account.handle}
      data-speaking={speaking ? "true" : "false"}
    >
      <Avatar handle={account.handle} displayName={account.displayName} size={44} />
    </span>
  );
}
