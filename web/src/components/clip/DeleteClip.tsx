import { mediaApi } from "../../api/media";
import { ConfirmedDelete } from "../feedback/ConfirmedDelete";

/** The clip's creator or the Space's host deletes the clip, after asking. */
export function DeleteClip({ clipId, onDeleted }: { clipId: string; onDeleted: () => void }) {
  return (
    <ConfirmedDelete
      thing="clip"
      testId="delete-clip"
      remove={() => mediaApi.deleteClip(clipId)}
      onDeleted={onDeleted}
    >
      <p>Its link stops working for everyone. It can't be undone.</p>
    </ConfirmedDelete>
  );
}
