import { useSecondsUntil } from "../../admission/use-seconds-until";
import { formatCountdown, formatWait } from "../../lib/wait-time";

/** A scheduled Space whose line is not open yet: it opens a little before the start. */
export function NotOpenNotice({
  retryAt,
  onRetry,
}: {
  retryAt: number | null;
  onRetry: () => void;
}) {
  const seconds = useSecondsUntil(retryAt);
  return (
    <section className="admission" data-testid="line-not-open">
      <h3 className="admission-title">The line isn't open yet</h3>
      <p className="admission-text">
        It opens shortly before the Space starts. Keep this page open and you'll be put in line as
        soon as it does.
      </p>
      <div className="admission-row">
        {seconds !== null && seconds > 0 && (
          <p className="admission-fine" role="status">
            {seconds >= 60
              ? `It opens in ${formatWait(seconds)}.`
              : `Checking again in ${formatCountdown(seconds)}`}
          </p>
        )}
        <button type="button" className="btn btn-ghost btn-sm" onClick={onRetry}>
          Check now
        </button>
      </div>
    </section>
  );
}
