import { mediaApi } from "../../api/media";
import { ConfirmedDelete } from "../feedback/ConfirmedDelete";

/** The host deletes the recording of their ended Space (and every clip of it), after asking. */
export function DeleteRecording({
  spaceId,
  onDeleted,
}: {
  spaceId: string;
  onDeleted: () => void;
}) {
  return (
    <div className="replay-delete">
      <ConfirmedDelete
        thing="recording"
        testId="delete-recording"
        remove={() => mediaApi.deleteRecording(spaceId)}
        onDeleted={onDeleted}
      >
        <p>
          Nobody will be able to play or download it again, and every clip made from it goes too. It
          can't be undone.
        </p>
      </ConfirmedDelete>
    </div>
  );
}
