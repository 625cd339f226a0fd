import type { Role } from "./roles.ts";
import type { SpaceState } from "./space-lifecycle.ts";

/** Everything someone can do to a Space or on its stage. */
export type SpaceAction =
  | "start"
  | "end"
  | "cancel"
  | "requestToSpeak"
  | "cancelRequest"
  | "acceptRequest"
  | "declineRequest"
  | "inviteSpeaker"
  | "inviteCohost"
  | "acceptInvitation"
  | "declineInvitation"
  | "moveToListener"
  | "leaveStage"
  | "mute"
  | "muteSelf"
  | "unmuteSelf"
  | "remove"
  | "react";

/** How the Space sees the person acting: a role, or outside any role. */
export type Standing = Role | "removed" | "anonymous";

export const standings: readonly Standing[] = [
  "host",
  "cohost",
  "speaker",
  "listener",
  "removed",
  "anonymous",
];

interface Rule {
  /** Standings allowed to take the action. */
  who: readonly Standing[];
  /** States of the Space in which it can be taken. */
  when: readonly SpaceState[];
  /** Whether the action names another participant, whom the actor must outrank. */
  target: "none" | "other";
}

const live = ["live"] as const;
const stage = ["host", "cohost"] as const;

/**
 * Who may do what: the single table every check goes through. It is tested as a matrix of
 * every action x standing (permissions.test.ts).
 */
export const permissionTable: Record<SpaceAction, Rule> = {
  start: { who: ["host"], when: ["scheduled"], target: "none" },
  end: { who: ["host"], when: live, target: "none" },
  cancel: { who: ["host"], when: ["scheduled"], target: "none" },
  requestToSpeak: { who: ["listener"], when: live, target: "none" },
  cancelRequest: { who: ["listener"], when: live, target: "none" },
  acceptRequest: { who: stage, when: live, target: "other" },
  declineRequest: { who: stage, when: live, target: "other" },
  inviteSpeaker: { who: stage, when: live, target: "other" },
  inviteCohost: { who: ["host"], when: live, target: "other" },
  acceptInvitation: { who: ["speaker", "listener"], when: live, target: "none" },
  declineInvitation: { who: ["speaker", "listener"], when: live, target: "none" },
  moveToListener: { who: stage, when: live, target: "other" },
  leaveStage: { who: ["cohost", "speaker"], when: live, target: "none" },
  mute: { who: stage, when: live, target: "other" },
  muteSelf: { who: ["host", "cohost", "speaker"], when: live, target: "none" },
  unmuteSelf: { who: ["host", "cohost", "speaker"], when: live, target: "none" },
  remove: { who: stage, when: ["scheduled", "live"], target: "other" },
  react: { who: ["host", "cohost", "speaker", "listener"], when: live, target: "none" },
};

export const spaceActions = Object.keys(permissionTable) as SpaceAction[];

export type Refusal = "AMPHI_UNAUTHENTICATED" | "AMPHI_REMOVED_FROM_SPACE" | "AMPHI_FORBIDDEN";

/** Whether `standing` may take `action` at all; the state and target are checked by the stage. */
export function mayAct(action: SpaceAction, standing: Standing): true | Refusal {
  if (permissionTable[action].who.includes(standing)) return true;
  if (standing === "anonymous") return "AMPHI_UNAUTHENTICATED";
  if (standing === "removed") return "AMPHI_REMOVED_FROM_SPACE";
  return "AMPHI_FORBIDDEN";
}

export function allowedIn(action: SpaceAction, state: SpaceState): boolean {
  return permissionTable[action].when.includes(state);
}
