import { describe, expect, test } from "vitest";
import {
  isFinished,
  type LifecycleAction,
  nextState,
  type SpaceState,
  spaceStates,
} from "./space-lifecycle.ts";

/** Every state x action, written out: the state after, or null when refused. */
const expected: Record<SpaceState, Record<LifecycleAction, SpaceState | null>> = {
  scheduled: { start: "live", end: null, cancel: "cancelled" },
  live: { start: null, end: "ended", cancel: null },
  ended: { start: null, end: null, cancel: null },
  cancelled: { start: null, end: null, cancel: null },
};

const actions: LifecycleAction[] = ["start", "end", "cancel"];

describe("nextState", () => {
  test("the states are scheduled, live, ended and cancelled", () => {
    expect(spaceStates).toEqual(["scheduled", "live", "ended", "cancelled"]);
  });

  test.each(
    spaceStates.flatMap((state) =>
      actions.map((action) => ({ state, action, after: expected[state][action] })),
    ),
  )("$action from $state -> $after", ({ state, action, after }) => {
    expect(nextState(state, action)).toBe(after);
  });

  test("the whole life of a Space: scheduled, live, ended, and no way back", () => {
    let state: SpaceState = "scheduled";
    const path: SpaceState[] = [state];
    for (const action of ["start", "end"] as const) {
      const next = nextState(state, action);
      expect(next).not.toBeNull();
      state = next as SpaceState;
      path.push(state);
    }
    expect(path).toEqual(["scheduled", "live", "ended"]);
    for (const action of actions) expect(nextState(state, action)).toBeNull();
  });
});

describe("isFinished", () => {
  test.each([
    ["scheduled", false],
    ["live", false],
    ["ended", true],
    ["cancelled", true],
  ] as const)("%s -> %s", (state, finished) => {
    expect(isFinished(state)).toBe(finished);
  });

  test("a finished Space takes no lifecycle action", () => {
    for (const state of spaceStates.filter(isFinished)) {
      for (const action of actions) expect(nextState(state, action)).toBeNull();
    }
  });
});
