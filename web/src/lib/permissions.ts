import type { SpaceState, Standing } from "../api/types";

/**
 * Who may do what, mirrored from the server's permission table
 * (src/domain/spaces/permissions.ts) so the page only offers what the server will accept.
 */
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

interface Rule {
  who: readonly Standing[];
  when: readonly SpaceState[];
}

const live = ["live"] as const;
const managers = ["host", "cohost"] as const;
const onStage = ["host", "cohost", "speaker"] as const;

const table: Record<SpaceAction, Rule> = {
  start: { who: ["host"], when: ["scheduled"] },
  end: { who: ["host"], when: live },
  cancel: { who: ["host"], when: ["scheduled"] },
  requestToSpeak: { who: ["listener"], when: live },
  cancelRequest: { who: ["listener"], when: live },
  acceptRequest: { who: managers, when: live },
  declineRequest: { who: managers, when: live },
  inviteSpeaker: { who: managers, when: live },
  inviteCohost: { who: ["host"], when: live },
  acceptInvitation: { who: ["speaker", "listener"], when: live },
  declineInvitation: { who: ["speaker", "listener"], when: live },
  moveToListener: { who: managers, when: live },
  leaveStage: { who: ["cohost", "speaker"], when: live },
  mute: { who: managers, when: live },
  muteSelf: { who: onStage, when: live },
  unmuteSelf: { who: onStage, when: live },
  remove: { who: managers, when: ["scheduled", "live"] },
  react: { who: ["host", "cohost", "speaker", "listener"], when: live },
};

export function can(action: SpaceAction, standing: Standing, state: SpaceState): boolean {
  const rule = table[action];
  return rule.who.includes(standing) && rule.when.includes(state);
}
