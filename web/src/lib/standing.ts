import type { Account, MyStanding, SpaceDocument } from "../api/types";
import { isOnStage } from "./roles";

/**
 * The viewer's standing, kept in step with the stage in the Space document: an action's
 * answer (or a push) moves the stage before the `me` push arrives, and the page should
 * never show "Mute" to someone the stage says has left it.
 */
export function viewerStanding(
  space: SpaceDocument,
  me: MyStanding | null,
  account: Account | null,
  removed: boolean,
): MyStanding {
  if (!account) {
    return { standing: "anonymous", pending: "none", muted: false, canRequestToSpeak: false };
  }
  const base: MyStanding = me ?? {
    standing: "listener",
    pending: "none",
    muted: false,
    canRequestToSpeak: space.speakerRequests === "everyone",
  };
  if (removed || base.standing === "removed") {
    return { ...base, standing: "removed", pending: "none", canRequestToSpeak: false };
  }
  const entry = space.stage.find((e) => e.account.id === account.id);
  if (entry && isOnStage(entry.role)) {
    const wasPending = base.pending === "requested" || base.pending === "invitedSpeaker";
    const pending = wasPending ? "none" : base.pending;
    return { ...base, standing: entry.role, muted: entry.muted, pending };
  }
  if (isOnStage(base.standing) && base.standing !== "host") {
    return { ...base, standing: "listener", muted: false };
  }
  return base;
}
