import { describe, expect, test } from "vitest";
import {
  allowedIn,
  mayAct,
  permissionTable,
  type SpaceAction,
  type Standing,
  spaceActions,
  standings,
} from "./permissions.ts";
import { type SpaceState, spaceStates } from "./space-lifecycle.ts";

/**
 * The authorization matrix, written out by hand: who may take each action. A change to the
 * domain's permission table has to be made here too, on purpose.
 */
const allowed: Record<SpaceAction, readonly Standing[]> = {
  start: ["host"],
  end: ["host"],
  cancel: ["host"],
  requestToSpeak: ["listener"],
  cancelRequest: ["listener"],
  acceptRequest: ["host", "cohost"],
  declineRequest: ["host", "cohost"],
  inviteSpeaker: ["host", "cohost"],
  inviteCohost: ["host"],
  acceptInvitation: ["speaker", "listener"],
  declineInvitation: ["speaker", "listener"],
  moveToListener: ["host", "cohost"],
  leaveStage: ["cohost", "speaker"],
  mute: ["host", "cohost"],
  muteSelf: ["host", "cohost", "speaker"],
  unmuteSelf: ["host", "cohost", "speaker"],
  remove: ["host", "cohost"],
  react: ["host", "cohost", "speaker", "listener"],
};

/** In which states of the Space each action can be taken. */
const allowedStates: Record<SpaceAction, readonly SpaceState[]> = {
  start: ["scheduled"],
  end: ["live"],
  cancel: ["scheduled"],
  requestToSpeak: ["live"],
  cancelRequest: ["live"],
  acceptRequest: ["live"],
  declineRequest: ["live"],
  inviteSpeaker: ["live"],
  inviteCohost: ["live"],
  acceptInvitation: ["live"],
  declineInvitation: ["live"],
  moveToListener: ["live"],
  leaveStage: ["live"],
  mute: ["live"],
  muteSelf: ["live"],
  unmuteSelf: ["live"],
  remove: ["scheduled", "live"],
  react: ["live"],
};

/** Actions that name another participant (the stage checks the actor outranks them). */
const targeted: readonly SpaceAction[] = [
  "acceptRequest",
  "declineRequest",
  "inviteSpeaker",
  "inviteCohost",
  "moveToListener",
  "mute",
  "remove",
];

const refusalFor: Record<Standing, ReturnType<typeof mayAct>> = {
  host: "AMPHI_FORBIDDEN",
  cohost: "AMPHI_FORBIDDEN",
  speaker: "AMPHI_FORBIDDEN",
  listener: "AMPHI_FORBIDDEN",
  removed: "AMPHI_REMOVED_FROM_SPACE",
  anonymous: "AMPHI_UNAUTHENTICATED",
};

describe("the table covers exactly the known actions and standings", () => {
  test("every action of the domain is in the expected matrix, and no other", () => {
    expect([...spaceActions].sort()).toEqual(Object.keys(allowed).sort());
    expect(Object.keys(permissionTable).sort()).toEqual(Object.keys(allowed).sort());
  });

  test("standings are the four roles, removed and anonymous", () => {
    expect(standings).toEqual(["host", "cohost", "speaker", "listener", "removed", "anonymous"]);
  });

  test("nobody removed or anonymous may take any action", () => {
    for (const action of spaceActions) {
      expect(allowed[action]).not.toContain("removed");
      expect(allowed[action]).not.toContain("anonymous");
    }
  });

  test.each(spaceActions)("%s names a target exactly when expected", (action) => {
    expect(permissionTable[action].target).toBe(targeted.includes(action) ? "other" : "none");
  });
});

const matrix = spaceActions.flatMap((action) =>
  standings.map((standing) => {
    const expected = allowed[action].includes(standing) ? true : refusalFor[standing];
    return { action, standing, expected };
  }),
);

describe("mayAct: every action x every standing", () => {
  test.each(matrix)("$action by $standing -> $expected", ({ action, standing, expected }) => {
    expect(mayAct(action, standing)).toBe(expected);
  });
});

const stateMatrix = spaceActions.flatMap((action) =>
  spaceStates.map((state) => ({ action, state, expected: allowedStates[action].includes(state) })),
);

describe("allowedIn: every action x every state", () => {
  test.each(stateMatrix)("$action while $state -> $expected", ({ action, state, expected }) => {
    expect(allowedIn(action, state)).toBe(expected);
  });

  test("nothing at all can be done to an ended or cancelled Space", () => {
    for (const action of spaceActions) {
      expect(allowedIn(action, "ended")).toBe(false);
      expect(allowedIn(action, "cancelled")).toBe(false);
    }
  });
});
