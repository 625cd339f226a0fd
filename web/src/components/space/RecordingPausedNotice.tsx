import type { RecordingStatus } from "../../api/types";
import { formatDateTime } from "../../lib/format";

/**
 * Tells the hosts that the live recording is paused: the server cannot save it now (a full
 * disk, say). Everyone still hears the Space; the recording resumes by itself.
 */
export function RecordingPausedNotice({ recording }: { recording: RecordingStatus | null }) {
  if (recording?.state !== "paused") return null;
  return (
    <section className="banner banner-danger" role="status" data-testid="recording-paused">
      <p className="banner-text">
        <strong>Recording paused.</strong> The server can't save the recording right now
        {recording.pausedSince ? ` (since ${formatDateTime(recording.pausedSince)})` : ""}. Everyone
        still hears the Space live; recording resumes by itself as soon as it can, and the replay
        shows a gap if part of it is missing.
      </p>
    </section>
  );
}
