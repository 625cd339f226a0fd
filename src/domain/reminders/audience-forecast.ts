/**
 * What a host can expect at the start of a scheduled Space, next to what the server admits.
 *
 * Expected audience = everyone with a reminder + a share of the host's followers
 * (`followerTurnout`, docs/decisions.md "Expected audience of a scheduled Space"): a reminder
 * is an explicit intent to come, a follow only a chance to see the go-live notification. The
 * two overlap (most people with a reminder follow the host) and the sum does not subtract it:
 * for capacity, an estimate a little high is the safe side.
 *
 * They do not all come in the same second: the go-live notification (push and toast) reaches
 * the followers spread over `spreadSeconds` (NOTIFY_SPREAD_SECONDS at most, fan-out-plan.ts),
 * so the audience arrives over that window and the line the gate builds is what arrives faster
 * than it admits. That is where the notifier's rate is known; the gate's own per-place estimate
 * (position over the admit rate) needs no change, as people told later queue behind the place.
 */

/** Share of followers (without a reminder or with one) expected to come when it goes live. */
export const followerTurnout = 0.1;

export interface ForecastInput {
  reminders: number;
  followers: number;
  /** ADMIT_RATE_PER_SECOND: new listeners let in per second. */
  admitRatePerSecond: number;
  /** MAX_LISTENERS_PER_SPACE: listeners at once. */
  maxListeners: number;
  /** Seconds the go-live notification is spread over for these followers (0: told at once). */
  spreadSeconds?: number;
}

export interface AudienceForecast extends ForecastInput {
  expectedAudience: number;
  /** The expected audience fits under the ceiling of listeners at once. */
  fits: boolean;
  /**
   * How long until everyone who fits is in: their arrival over the spread window, or the line
   * at the admit rate, whichever ends later.
   */
  secondsToAdmit: number;
  /** Expected arrivals per second while the notification goes out (all at once: everyone). */
  expectedArrivalsPerSecond: number;
  /** The line when the last of those who fit arrives: what came faster than the admit rate. */
  expectedPeakQueue: number;
  /** That last arrival's wait in line, seconds. */
  expectedMaxWaitSeconds: number;
  /** Set when it does not fit: how many, and how long the line takes. */
  warning?: string;
}

export function forecastAudience(input: ForecastInput): AudienceForecast {
  const reminders = Math.max(0, Math.floor(input.reminders));
  const followers = Math.max(0, Math.floor(input.followers));
  const rate = input.admitRatePerSecond;
  const window = Math.max(0, input.spreadSeconds ?? 0);
  const expectedAudience = reminders + Math.round(followers * followerTurnout);
  const fits = expectedAudience <= input.maxListeners;
  const admitted = Math.min(expectedAudience, input.maxListeners);
  // Arrivals are even over the window: those who fit have all come by this time.
  const lastArrival = expectedAudience > 0 ? (window * admitted) / expectedAudience : 0;
  const secondsToAdmit = Math.ceil(Math.max(admitted / rate, lastArrival));
  const expectedPeakQueue = Math.max(0, Math.ceil(admitted - rate * Math.max(lastArrival, 1)));
  const forecast: AudienceForecast = {
    ...input,
    reminders,
    followers,
    spreadSeconds: window,
    expectedAudience,
    fits,
    secondsToAdmit,
    expectedArrivalsPerSecond: Math.round(
      window > 0 ? expectedAudience / window : expectedAudience,
    ),
    expectedPeakQueue,
    expectedMaxWaitSeconds: Math.ceil(expectedPeakQueue / rate),
  };
  if (!fits) {
    const left = expectedAudience - input.maxListeners;
    forecast.warning =
      `Expected ~${grouped(expectedAudience)} listeners, more than a Space holds ` +
      `(${grouped(input.maxListeners)}): ~${grouped(left)} would wait for someone to leave. ` +
      `${formatDuration(secondsToAdmit)} to admit everyone who fits at ` +
      `${grouped(rate)}/s${window > 0 ? `, as the go-live reaches followers over ${formatDuration(window)}` : ""}.`;
  }
  return forecast;
}

/** "~45 s", "~12 min", "~2 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `~${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 120) return `~${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `~${h} h` : `~${h} h ${m} min`;
}

/** 12304 -> "12,304" (the same in every locale: the server writes the text). */
function grouped(n: number): string {
  const [whole = "0", fraction] = String(Math.round(n * 100) / 100).split(".");
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${withCommas}.${fraction}` : withCommas;
}
