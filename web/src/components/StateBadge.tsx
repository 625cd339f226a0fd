import type { SpaceState } from "../api/types";
import { stateLabels } from "../lib/roles";

/** LIVE / Scheduled / Ended / Cancelled, as a coloured pill. */
export function StateBadge({ state, testId }: { state: SpaceState; testId?: string }) {
  return (
    <span className={`badge badge-${state}`} data-testid={testId} data-state={state}>
      {state === "live" && <span className="live-dot" aria-hidden="true" />}
      {stateLabels[state]}
    </span>
  );
}
