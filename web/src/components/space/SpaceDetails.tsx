import type { SpaceDocument } from "../../api/types";
import { formatCount, formatDateTime } from "../../lib/format";
import { recordingNote } from "./recording-note";

const policyText = {
  everyone: "Anyone listening",
  followed: "People the host follows",
  invited: "Invited people only",
} as const;

/**
 * The small print of a Space: when, who may speak and listen, whether it is recorded, and once
 * it has ended how many people listened.
 */
export function SpaceDetails({ space }: { space: SpaceDocument }) {
  return (
    <section className="card" aria-labelledby="details-heading">
      <div className="card-heading">
        <h2 id="details-heading">About this Space</h2>
      </div>
      <dl className="details-list">
        {space.scheduledFor && (
          <>
            <dt>Scheduled for</dt>
            <dd>
              <time dateTime={space.scheduledFor}>{formatDateTime(space.scheduledFor)}</time>
            </dd>
          </>
        )}
        {space.startedAt && (
          <>
            <dt>Started</dt>
            <dd>
              <time dateTime={space.startedAt}>{formatDateTime(space.startedAt)}</time>
            </dd>
          </>
        )}
        <dt>Who can ask to speak</dt>
        <dd>{policyText[space.speakerRequests]}</dd>
        <dt>Recording</dt>
        <dd data-testid="recording-detail">{recordingNote(space).detail}</dd>
        <dt>Who can listen</dt>
        <dd data-testid="listen-policy">
          {space.requireLogin ? "People logged in to Amphi" : "Anyone with the link"}
        </dd>
        {space.state === "ended" && space.audience && (
          <>
            <dt>Peak listeners</dt>
            <dd data-testid="peak-listeners">{formatCount(space.audience.peakListeners)}</dd>
            <dt>Total listeners</dt>
            <dd data-testid="total-listeners">{formatCount(space.audience.uniqueListeners)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
