import { useState } from "react";
import type { SpaceDocument, Standing } from "../../api/types";
import { can } from "../../lib/permissions";
import { ConfirmDialog } from "../feedback/ConfirmDialog";
import type { SpaceActions } from "./use-space-actions";

type Asking = "end" | "cancel" | null;

/** Start, End and Cancel, for the host; End and Cancel ask first (neither can be undone). */
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
  const [asking, setAsking] = useState<Asking>(null);
  const canStart = can("start", standing, space.state);
  const canCancel = can("cancel", standing, space.state);
  const canEnd = can("end", standing, space.state);
  if (!canStart && !canCancel && !canEnd) return null;

  function confirm() {
    const what = asking;
    setAsking(null);
    if (what === "end") void actions.end();
    if (what === "cancel") void actions.cancel();
  }

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
          onClick={() => setAsking("cancel")}
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
          onClick={() => setAsking("end")}
          disabled={busy === "end"}
        >
          {busy === "end" ? "Ending…" : "End Space"}
        </button>
      )}
      {asking === "end" && (
        <ConfirmDialog
          open
          title="End this Space for everyone?"
          confirmLabel="End Space"
          confirmTestId="confirm-end"
          cancelLabel="Keep it going"
          danger
          onConfirm={confirm}
          onCancel={() => setAsking(null)}
        >
          <p>
            Everyone stops hearing it, and the microphones close. It can't be restarted
            {space.recording ? "; the replay will be ready in a moment." : "."}
          </p>
        </ConfirmDialog>
      )}
      {asking === "cancel" && (
        <ConfirmDialog
          open
          title="Cancel this Space?"
          confirmLabel="Cancel Space"
          confirmTestId="confirm-cancel-space"
          cancelLabel="Keep it scheduled"
          danger
          onConfirm={confirm}
          onCancel={() => setAsking(null)}
        >
          <p>People waiting for it will see that it was called off. It can't be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
