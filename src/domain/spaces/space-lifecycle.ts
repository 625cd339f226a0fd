/** A Space is scheduled, goes live, and ends; a scheduled one can be cancelled instead. */
export type SpaceState = "scheduled" | "live" | "ended" | "cancelled";

export const spaceStates: readonly SpaceState[] = ["scheduled", "live", "ended", "cancelled"];

export type LifecycleAction = "start" | "end" | "cancel";

const transitions: Record<LifecycleAction, { from: SpaceState; to: SpaceState }> = {
  start: { from: "scheduled", to: "live" },
  end: { from: "live", to: "ended" },
  cancel: { from: "scheduled", to: "cancelled" },
};

/** The state after `action`, or null when the Space cannot take it now. */
export function nextState(current: SpaceState, action: LifecycleAction): SpaceState | null {
  const t = transitions[action];
  return t.from === current ? t.to : null;
}

export function isFinished(state: SpaceState): boolean {
  return state === "ended" || state === "cancelled";
}
