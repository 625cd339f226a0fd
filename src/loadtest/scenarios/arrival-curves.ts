/**
 * When clients arrive, as pure functions of (count, window): deterministic quantiles of an
 * arrival-rate curve, so a run is reproducible and workers can each compute their own share.
 */

/** Shape of the join-storm spike, as fractions of the arrival window. */
export const spikeShape = {
  /** The rate climbs linearly from 0 to its peak over the first 20% of the window ("doors open"). */
  rampFraction: 0.2,
  /** After the peak it decays exponentially with this time constant (20% of the window). */
  decayFraction: 0.2,
} as const;

/**
 * Arrival times (ms from the start, ascending) of `count` clients over `windowMs` along a
 * spike: the rate rises linearly from zero to a peak at 20% of the window, then decays as
 * exp(-(t - peak) / tau) with tau = 20% of the window, so the rate at the end of the window is
 * e^-4 (about 2%) of the peak. A third of the clients arrive on the way up, half by 0.26 of the
 * window, 86% by half of it, 92% by 0.6. Client i arrives at the (i + 0.5) / count quantile.
 */
export function spikeArrivals(count: number, windowMs: number): number[] {
  if (count <= 0) return [];
  if (windowMs <= 0) return new Array<number>(count).fill(0);
  const a = spikeShape.rampFraction * windowMs;
  const tau = spikeShape.decayFraction * windowMs;
  const riseArea = a / 2;
  const decayArea = tau * (1 - Math.exp(-(windowMs - a) / tau));
  const total = riseArea + decayArea;
  const times: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const area = ((i + 0.5) / count) * total;
    times[i] =
      area <= riseArea
        ? Math.sqrt(2 * a * area) // area under the ramp up to t is t^2 / (2a)
        : a - tau * Math.log(1 - (area - riseArea) / tau);
  }
  return times;
}

/** Arrival rate of the spike at `tMs` relative to its peak (1 at the peak), for documentation and charts. */
export function spikeRelativeRate(tMs: number, windowMs: number): number {
  const a = spikeShape.rampFraction * windowMs;
  const tau = spikeShape.decayFraction * windowMs;
  if (tMs < 0 || tMs > windowMs) return 0;
  return tMs <= a ? tMs / a : Math.exp(-(tMs - a) / tau);
}

/** Arrival times of `count` clients spread evenly over `windowMs` (a linear ramp of the population). */
export function rampArrivals(count: number, windowMs: number): number[] {
  if (count <= 0) return [];
  const times: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) times[i] = Math.max(0, windowMs) * ((i + 0.5) / count);
  return times;
}
