import type { RetryReason } from "../../admission/admission-state";
import { useSecondsUntil } from "../../admission/use-seconds-until";
import { formatCountdown } from "../../lib/wait-time";
import { Spinner } from "../feedback/Spinner";

const text: Record<RetryReason, { title: string; body: string }> = {
  busy: {
    title: "Amphi is busy right now",
    body: "Lots of people are arriving at once. We'll try again for you, no need to reload.",
  },
  offline: {
    title: "Can't reach Amphi",
    body: "Check your connection. We'll keep trying for you.",
  },
};

/** A calm "busy, retrying in N s" while the admission loop waits out a 429, 503 or outage. */
export function RetryNotice({
  reason,
  retryAt,
  onRetry,
}: {
  reason: RetryReason;
  retryAt: number;
  onRetry: () => void;
}) {
  const seconds = useSecondsUntil(retryAt) ?? 0;
  const { title, body } = text[reason];
  return (
    <section className="admission" data-testid="admission-retry" data-reason={reason}>
      <h3 className="admission-title">{title}</h3>
      <p className="admission-text">{body}</p>
      <div className="admission-row">
        <p className="admission-fine" role="status" data-testid="admission-retry-in">
          {seconds > 0 ? `Retrying in ${formatCountdown(seconds)}` : "Retrying…"}
        </p>
        {seconds === 0 && <Spinner label="Retrying" size={16} />}
        {/* Only when offline: a busy server said when to come back, and means it. */}
        {seconds > 0 && reason === "offline" && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={onRetry}>
            Try now
          </button>
        )}
      </div>
    </section>
  );
}
