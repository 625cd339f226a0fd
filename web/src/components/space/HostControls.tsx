import type { SpaceDocument, Standing } from "../../api/types";
import { can } from "../../lib/permissions";
import type { SpaceActions } from "./use-space-actions";

/** Start, End and Cancel, for the host. */
export function HostControls({
  space,
  standing,
  actions,
}: {
  space: SpaceDocument;
  standing: Standing;
  actions: SpaceActions;
}) {
  const { busy } = actions;
  const canStart = can("start", standing, space.state);
  const canCancel = can("cancel", standing, space.state);
  const canEnd = can("end", standing, space.state);
  if (!canStart && !canCancel && !canEnd) return null;
  return (
    <div className="host-controls">
      {canStart && (
        <button
          type="button"
          className="btn btn-primary"
          data-testid="start-space"
          onClick={actions.start}
          disabled={busy === "start"}
        >
          {busy === "start" ? "Starting…" : "Start Space"}
        </button>
      )}
      {canCancel && (
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="cancel-space"
          onClick={actions.cancel}
          disabled={busy === "cancel"}
        >
          Cancel Space
        </button>
      )}
      {canEnd && (
        <button
          type="button"
          className="btn btn-danger"
          data-testid="end-space"
          onClick={actions.end}
          disabled={busy === "end"}
        >
          {busy === "end" ? "Ending…" : "End Space"}
        </button>
      )}
    </div>
  );
}
