/**
 * How a notification reaches a large audience (pure): how long its deliveries are spread
 * over, when each batch's delivery starts, and the arrival rate that spreading produces,
 * which the admission forecast uses (docs/architecture.md, "Notifications").
 *
 * The inbox rows are written at once, batch after batch; only the pushes and toasts (what
 * sends people to the join path) are spread.
 */
export interface SpreadSettings {
  /** Longest spread, seconds (NOTIFY_SPREAD_SECONDS). */
  maxSpreadSeconds: number;
  /** The Space's admit rate (ADMIT_RATE_PER_SECOND): no reason to spread slower than this. */
  admitRatePerSecond: number;
}

/**
 * Seconds the deliveries to `audience` people are spread over: as long as the gate needs to
 * let them all in at its admit rate, at most `maxSpreadSeconds`. Fifty followers are told at
 * once; a million over the whole window.
 */
export function spreadSeconds(audience: number, settings: SpreadSettings): number {
  if (audience <= 0 || settings.maxSpreadSeconds <= 0) return 0;
  return Math.min(
    settings.maxSpreadSeconds,
    audience / Math.max(settings.admitRatePerSecond, 1e-9),
  );
}

/**
 * When batch `index` of `batches` is delivered, in seconds after the fan-out starts:
 * stratified jitter, one random instant in each of `batches` equal slices of the window,
 * so the deliveries cover it evenly without a pattern clients could line up on.
 */
export function batchDelaySeconds(
  index: number,
  batches: number,
  windowSeconds: number,
  random: () => number = Math.random,
): number {
  if (windowSeconds <= 0 || batches <= 0) return 0;
  const slice = windowSeconds / batches;
  return Math.min(windowSeconds, (index + random()) * slice);
}

export interface ArrivalForecast {
  /** People the fan-out tells. */
  audience: number;
  /** Seconds their deliveries are spread over. */
  spreadSeconds: number;
  /**
   * People told per second while it lasts: the expected arrivals per second at the join path
   * if every one of them comes (an upper bound; the audience itself when told at once).
   */
  expectedArrivalsPerSecond: number;
  /** The gate's admit rate. */
  admitRatePerSecond: number;
  /** Longest line the gate should see if everyone comes: what arrives beyond its rate. */
  expectedPeakQueue: number;
  /** The wait of the last person in that line, seconds. */
  expectedMaxWaitSeconds: number;
}

/** What a fan-out to `audience` people does to the join path (see `ArrivalForecast`). */
export function arrivalForecast(audience: number, settings: SpreadSettings): ArrivalForecast {
  const window = spreadSeconds(audience, settings);
  const rate = settings.admitRatePerSecond;
  const arrivals = window > 0 ? audience / window : audience;
  // Over the window the line grows by what arrives beyond the admit rate (everyone told,
  // less what the gate let in meanwhile; told at once, less one second's worth).
  const peak = Math.max(0, Math.ceil(audience - rate * Math.max(window, 1)));
  return {
    audience,
    spreadSeconds: round(window),
    expectedArrivalsPerSecond: round(arrivals),
    admitRatePerSecond: rate,
    expectedPeakQueue: peak,
    expectedMaxWaitSeconds: Math.ceil(peak / Math.max(rate, 1e-9)),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
