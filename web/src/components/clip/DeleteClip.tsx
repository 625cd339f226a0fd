import { useState } from "react";
import { mediaApi } from "../../api/media";
import { ConfirmDialog } from "../feedback/ConfirmDialog";
import { ErrorNotice } from "../feedback/ErrorNotice";

/** The clip's creator or the Space's host deletes the clip, after asking. */
export function DeleteClip({ clipId, onDeleted }: { clipId: string; onDeleted: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function confirm() {
    setAsking(false);
    setBusy(true);
    setError(null);
    mediaApi
      .deleteClip(clipId)
      .then(onDeleted)
      .catch(setError)
      .finally(() => setBusy(false));
  }

  return (
    <>
      <button
        type="button"
        className="btn btn-danger btn-sm"
        data-testid="delete-clip"
        onClick={() => setAsking(true)}
        disabled={busy}
      >
        {busy ? "Deleting…" : "Delete clip"}
      </button>
      {asking && (
        <ConfirmDialog
          open
          title="Delete this clip?"
          confirmLabel="Delete clip"
          confirmTestId="confirm-delete-clip"
          cancelLabel="Keep it"
          danger
          onConfirm={confirm}
          onCancel={() => setAsking(false)}
        >
          <p>Its link stops working for everyone. It can't be undone.</p>
        </ConfirmDialog>
      )}
      {error !== null && (
        <ErrorNotice error={error} title="We couldn't delete the clip" onRetry={confirm} />
      )}
    </>
  );
}
