import { queueProgress } from "../../admission/admission-state";
import { useSecondsUntil } from "../../admission/use-seconds-until";
import type { QueuePlace } from "../../api/types";
import { formatCount, formatDateTime } from "../../lib/format";
import { formatCountdown, formatWait } from "../../lib/wait-time";
import { placeText } from "./place-text";
import { QueueProgress } from "./QueueProgress";

function PreQueueNote({ opensAt }: { opensAt: string | null }) {
  return (
    <p className="admission-text" data-testid="pre-queue-note">
      The Space hasn't started yet. When it does
      {opensAt ? (
        <>
          {" "}
          (<time dateTime={opensAt}>{formatDateTime(opensAt)}</time>)
        </>
      ) : null}
      , the order of everyone already in line is drawn at random, so it's fair: there's no need to
      rush or to keep refreshing.
    </p>
  );
}

/**
 * The waiting screen of a full Space: the listener's place in line, a friendly estimate of
 * the wait and a progress bar. The loop behind it checks again by itself; the audio starts
 * as soon as it's their turn.
 */
export function WaitingRoom({
  queue,
  firstPosition,
  retryAt,
}: {
  queue: QueuePlace;
  firstPosition: number;
  retryAt: number;
}) {
  const preQueue = queue.phase === "pre-queue";
  const nextCheck = useSecondsUntil(retryAt);
  return (
    <section
      className="admission waiting-room"
      data-testid="waiting-room"
      data-phase={queue.phase}
      aria-labelledby="waiting-room-title"
    >
      <div className="waiting-head">
        <p className="waiting-place">
          <span className="waiting-place-number" data-testid="queue-position">
            {formatCount(queue.position)}
          </span>
          <span className="waiting-place-label">{preQueue ? "in line" : "your place"}</span>
        </p>
        <div className="waiting-summary">
          <h3 id="waiting-room-title" className="admission-title">
            {preQueue ? "You're in line for the start" : "You're in line"}
          </h3>
          <p className="admission-text" aria-live="polite">
            {placeText(queue)} Estimated wait:{" "}
            <strong data-testid="queue-wait">{formatWait(queue.estimatedWaitSeconds)}</strong>.
          </p>
        </div>
      </div>
      <QueueProgress value={queueProgress(queue, firstPosition)} />
      {preQueue && <PreQueueNote opensAt={queue.opensAt} />}
      <p className="admission-fine">
        You keep your place, even if you reload this page. Keep it open: the audio starts by itself
        when it's your turn.
        {nextCheck !== null && nextCheck > 0
          ? ` Checking again in ${formatCountdown(nextCheck)}.`
          : ""}
      </p>
    </section>
  );
}
