import { type ReactNode, useState } from "react";
import { ConfirmDialog } from "./ConfirmDialog";
import { ErrorNotice } from "./ErrorNotice";

/**
 * A "Delete …" button that asks first (ConfirmDialog), shows the work under way, and offers a
 * retry when the deletion fails. `thing` names what goes ("clip", "recording"); `testId` names
 * the button, and `confirm-${testId}` the dialog's confirm button.
 */
export function ConfirmedDelete({
  thing,
  testId,
  remove,
  onDeleted,
  children,
}: {
  thing: string;
  testId: string;
  remove: () => Promise<unknown>;
  onDeleted: () => void;
  /** What the deletion costs, said in the dialog. */
  children: ReactNode;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function confirm() {
    setAsking(false);
    setBusy(true);
    setError(null);
    remove()
      .then(onDeleted)
      .catch(setError)
      .finally(() => setBusy(false));
  }

  return (
    <>
      <button
        type="button"
        className="btn btn-danger btn-sm"
        data-testid={testId}
        onClick={() => setAsking(true)}
        disabled={busy}
      >
        {busy ? "Deleting…" : `Delete ${thing}`}
      </button>
      {asking && (
        <ConfirmDialog
          open
          title={`Delete this ${thing}?`}
          confirmLabel={`Delete ${thing}`}
          confirmTestId={`confirm-${testId}`}
          cancelLabel="Keep it"
          danger
          onConfirm={confirm}
          onCancel={() => setAsking(false)}
        >
          {children}
        </ConfirmDialog>
      )}
      {error !== null && (
        <ErrorNotice error={error} title={`We couldn't delete the ${thing}`} onRetry={confirm} />
      )}
    </>
  );
}
