import type { SpaceDocument } from "../../api/types";
import { formatDateTime } from "../../lib/format";

const policyText = {
  everyone: "Anyone listening",
  followed: "People the host follows",
  invited: "Invited people only",
} as const;

/** The small print of a Space: when, who may speak, whether it is recorded. */
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
        <dd>{space.recording ? "This Space is recorded" : "Not recorded"}</dd>
      </dl>
    </section>
  );
}
