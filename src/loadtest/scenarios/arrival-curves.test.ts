import { describe, expect, test } from "vitest";
import { rampArrivals, spikeArrivals, spikeRelativeRate } from "./arrival-curves.ts";

const share = (times: number[], from: number, to: number) =>
  times.filter((t) => t >= from && t < to).length / times.length;

describe("spike arrivals (join-storm)", () => {
  test("every client arrives once, in order, inside the window", () => {
    const times = spikeArrivals(5000, 10_000);
    expect(times).toHaveLength(5000);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[0]!).toBeGreaterThan(0);
    expect(times.at(-1)!).toBeLessThan(10_000);
  });

  test("most clients arrive in a burst around the peak at 20% of the window", () => {
    const times = spikeArrivals(10_000, 10_000);
    // The busiest second is the one just after the peak, and it is much busier than the tail.
    const perSecond = Array.from({ length: 10 }, (_, s) => share(times, s * 1000, (s + 1) * 1000));
    const busiest = perSecond.indexOf(Math.max(...perSecond));
    expect(busiest).toBe(2);
    expect(perSecond[2]!).toBeGreaterThan(10 * perSecond[9]!);
    // Half the crowd has arrived by about a quarter of the window, 86% by half of it.
    expect(times[5000]!).toBeGreaterThan(2400);
    expect(times[5000]!).toBeLessThan(2700);
    expect(share(times, 0, 5000)).toBeCloseTo(0.86, 2);
    // A third arrives while the rate climbs.
    expect(share(times, 0, 2000)).toBeCloseTo(0.337, 2);
  });

  test("the rate rises to 1 at the peak and decays to about 2% at the end", () => {
    expect(spikeRelativeRate(0, 10_000)).toBe(0);
    expect(spikeRelativeRate(1000, 10_000)).toBeCloseTo(0.5);
    expect(spikeRelativeRate(2000, 10_000)).toBeCloseTo(1);
    expect(spikeRelativeRate(10_000, 10_000)).toBeCloseTo(Math.exp(-4));
  });

  test("is deterministic and handles degenerate inputs", () => {
    expect(spikeArrivals(100, 5000)).toEqual(spikeArrivals(100, 5000));
    expect(spikeArrivals(0, 5000)).toEqual([]);
    expect(spikeArrivals(3, 0)).toEqual([0, 0, 0]);
  });
});

describe("ramp arrivals (listeners, attack)", () => {
  test("spreads clients evenly over the window", () => {
    expect(rampArrivals(4, 4000)).toEqual([500, 1500, 2500, 3500]);
    const times = rampArrivals(1000, 10_000);
    expect(share(times, 0, 5000)).toBeCloseTo(0.5, 5);
  });
});
