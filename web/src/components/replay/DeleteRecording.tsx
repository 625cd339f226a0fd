import { useState } from "react";
import { mediaApi } from "../../api/media";
import { ConfirmDialog } from "../feedback/ConfirmDialog";
import { ErrorNotice } from "../feedback/ErrorNotice";

/** The host deletes the recording of their ended Space (and every clip of it), after asking. */
export function DeleteRecording({
  spaceId,
  onDeleted,
}: {
  spaceId: string;
  onDeleted: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function confirm() {
    setAsking(false);
    setBusy(true);
    setError(null);
    mediaApi
      .deleteRecording(spaceId)
      .then(onDeleted)
      .catch(setError)
      .finally(() => setBusy(false));
  }

  return (
    <div className="replay-delete">
      <button
        type="button"
        className="btn btn-danger btn-sm"
        data-testid="delete-recording"
        onClick={() => setAsking(true)}
        disabled={busy}
      >
        {busy ? "Deleting…" : "Delete recording"}
      </button>
      {asking && (
        <ConfirmDialog
          open
          title="Delete this recording?"
          confirmLabel="Delete recording"
          confirmTestId="confirm-delete-recording"
          cancelLabel="Keep it"
          danger
          onConfirm={confirm}
          onCancel={() => setAsking(false)}
        >
          <p>
            Nobody will be able to play or download it again, and every clip made from it goes too.
            It can't be undone.
          </p>
        </ConfirmDialog>
      )}
      {error !== null && (
        <ErrorNotice error={error} title="We couldn't delete the recording" onRetry={confirm} />
      )}
    </div>
  );
}
