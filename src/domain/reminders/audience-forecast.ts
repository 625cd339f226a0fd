/**
 * What a host can expect at the start of a scheduled Space, next to what the server admits.
 *
 * Expected audience = everyone with a reminder + a share of the host's followers
 * (`followerTurnout`, docs/decisions.md "Expected audience of a scheduled Space"): a reminder
 * is an explicit intent to come, a follow only a chance to see the go-live notification. The
 * two overlap (most people with a reminder follow the host) and the sum does not subtract it:
 * for capacity, an estimate a little high is the safe side.
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
}

export interface AudienceForecast extends ForecastInput {
  expectedAudience: number;
  /** The expected audience fits under the ceiling of listeners at once. */
  fits: boolean;
  /** How long the admission line takes to let in everyone who fits, at the admit rate. */
  secondsToAdmit: number;
  /** Set when it does not fit: how many, and how long the line takes. */
  warning?: string;
}

export function forecastAudience(input: ForecastInput): AudienceForecast {
  const reminders = Math.max(0, Math.floor(input.reminders));
  const followers = Math.max(0, Math.floor(input.followers));
  const expectedAudience = reminders + Math.round(followers * followerTurnout);
  const fits = expectedAudience <= input.maxListeners;
  const admitted = Math.min(expectedAudience, input.maxListeners);
  const secondsToAdmit = Math.ceil(admitted / input.admitRatePerSecond);
  const forecast: AudienceForecast = {
    ...input,
    reminders,
    followers,
    expectedAudience,
    fits,
    secondsToAdmit,
  };
  if (!fits) {
    const left = expectedAudience - input.maxListeners;
    forecast.warning =
      `Expected ~${grouped(expectedAudience)} listeners, more than a Space holds ` +
      `(${grouped(input.maxListeners)}): ~${grouped(left)} would wait for someone to leave. ` +
      `${formatDuration(secondsToAdmit)} to admit everyone who fits at ` +
      `${grouped(input.admitRatePerSecond)}/s.`;
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
