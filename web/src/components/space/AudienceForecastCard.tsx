import { useEffect, useState } from "react";
import { remindersApi } from "../../api/reminders";
import type { AudienceForecast } from "../../api/types";
import { formatWait } from "../../lib/wait-time";

const full = new Intl.NumberFormat(undefined);

/** Reloads while the page is open: reminders keep coming in before a big Space. */
const refreshMs = 60_000;

/**
 * The host's look ahead at a scheduled Space: how many asked for a reminder, the audience to
 * expect, and what the server admits (capacity and rate), with a warning when it won't fit.
 */
export function AudienceForecastCard({ spaceId }: { spaceId: string }) {
  const [forecast, setForecast] = useState<AudienceForecast | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      remindersApi
        .forecast(spaceId, controller.signal)
        .then(setForecast)
        .catch(() => {
          // The forecast is a hint; the page works without it.
        });
    void load();
    const timer = setInterval(load, refreshMs);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [spaceId]);

  if (!forecast) return null;
  const { reminders, followers, expectedAudience, maxListeners, admitRatePerSecond, fits } =
    forecast;
  return (
    <section
      className={fits ? "card forecast-card" : "card forecast-card forecast-over"}
      aria-labelledby="forecast-heading"
      data-testid="audience-forecast"
      data-fits={fits}
    >
      <div className="card-heading">
        <h2 id="forecast-heading">Expected audience</h2>
        <span className="chip">Only you see this</span>
      </div>
      <p className="forecast-line" data-testid="forecast-line">
        <strong>{full.format(reminders)}</strong> {reminders === 1 ? "reminder" : "reminders"}
        <span aria-hidden="true"> · </span>expected{" "}
        <strong>~{full.format(expectedAudience)}</strong>
        <span aria-hidden="true"> · </span>capacity {full.format(maxListeners)}
        <span aria-hidden="true"> · </span>admits {full.format(admitRatePerSecond)}/s
      </p>
      <p className="forecast-sub">
        Everyone with a reminder plus a tenth of your {full.format(followers)}{" "}
        {followers === 1 ? "follower" : "followers"}. Letting them in takes{" "}
        {formatWait(forecast.secondsToAdmit)}.
      </p>
      {forecast.spreadSeconds > 0 && (
        <p className="forecast-sub" data-testid="forecast-spread">
          Your go-live reaches followers over {formatWait(forecast.spreadSeconds)} (~
          {full.format(forecast.expectedArrivalsPerSecond)} arrivals/s)
          {forecast.expectedPeakQueue > 0
            ? `: a line of up to ~${full.format(forecast.expectedPeakQueue)}, the last waiting ${formatWait(forecast.expectedMaxWaitSeconds)}.`
            : ": no line expected."}
        </p>
      )}
      {forecast.warning && (
        <p className="forecast-warning" role="alert" data-testid="forecast-warning">
          {forecast.warning}
        </p>
      )}
    </section>
  );
}
