import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { followerTurnout, forecastAudience, formatDuration } from "./audience-forecast.ts";

describe("audience forecast", () => {
  it("expects every reminder and a tenth of the followers", () => {
    const f = forecastAudience({
      reminders: 12_304,
      followers: 277_000,
      admitRatePerSecond: 150,
      maxListeners: 50_000,
    });
    expect(followerTurnout).toBe(0.1);
    expect(f.expectedAudience).toBe(12_304 + 27_700);
    expect(f.fits).toBe(true);
    expect(f.warning).toBeUndefined();
    expect(f.secondsToAdmit).toBe(Math.ceil(40_004 / 150));
  });

  it("warns when the expected audience does not fit, saying how long the line takes", () => {
    const f = forecastAudience({
      reminders: 100_000,
      followers: 1_000_000,
      admitRatePerSecond: 150,
      maxListeners: 108_000,
    });
    expect(f.expectedAudience).toBe(200_000);
    expect(f.fits).toBe(false);
    expect(f.secondsToAdmit).toBe(720);
    expect(f.warning).toBe(
      "Expected ~200,000 listeners, more than a Space holds (108,000): ~92,000 would wait for someone to leave. ~12 min to admit everyone who fits at 150/s.",
    );
  });

  it("fits exactly at the ceiling", () => {
    const f = forecastAudience({
      reminders: 10,
      followers: 0,
      admitRatePerSecond: 3,
      maxListeners: 10,
    });
    expect(f).toMatchObject({ fits: true, secondsToAdmit: 4 });
  });

  it("never admits more than the ceiling, and fits iff expected <= ceiling", () => {
    fc.assert(
      fc.property(
        fc.nat(10_000_000),
        fc.nat(100_000_000),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (reminders, followers, rate, max) => {
          const f = forecastAudience({
            reminders,
            followers,
            admitRatePerSecond: rate,
            maxListeners: max,
          });
          expect(f.expectedAudience).toBeGreaterThanOrEqual(reminders);
          expect(f.fits).toBe(f.expectedAudience <= max);
          expect(f.warning === undefined).toBe(f.fits);
          expect(f.secondsToAdmit).toBeLessThanOrEqual(Math.ceil(max / rate));
        },
      ),
    );
  });

  it("knows the go-live's spread: the audience arrives over its window, the line is what comes faster than the gate", () => {
    const f = forecastAudience({
      reminders: 0,
      followers: 1_000_000,
      admitRatePerSecond: 150,
      maxListeners: 200_000,
      spreadSeconds: 30,
    });
    expect(f.expectedAudience).toBe(100_000);
    expect(f.expectedArrivalsPerSecond).toBe(3_333);
    expect(f.expectedPeakQueue).toBe(100_000 - 150 * 30);
    expect(f.expectedMaxWaitSeconds).toBe(Math.ceil(95_500 / 150));
    expect(f.secondsToAdmit).toBe(Math.ceil(100_000 / 150));
  });

  it("a small audience told over a few seconds forms no line, and is in when the last is told", () => {
    const f = forecastAudience({
      reminders: 0,
      followers: 1_000,
      admitRatePerSecond: 150,
      maxListeners: 200_000,
      spreadSeconds: 1_000 / 150,
    });
    expect(f).toMatchObject({
      expectedAudience: 100,
      expectedPeakQueue: 0,
      expectedMaxWaitSeconds: 0,
    });
    expect(f.secondsToAdmit).toBe(7);
  });

  it("a spread never makes the longest wait longer, nor the admission quicker than the telling", () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.nat(10_000_000),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 300 }),
        (reminders, followers, rate, max, spread) => {
          const input = { reminders, followers, admitRatePerSecond: rate, maxListeners: max };
          const atOnce = forecastAudience(input);
          const spread_ = forecastAudience({ ...input, spreadSeconds: spread });
          expect(spread_.expectedMaxWaitSeconds).toBeLessThanOrEqual(atOnce.expectedMaxWaitSeconds);
          expect(spread_.expectedMaxWaitSeconds).toBeLessThanOrEqual(spread_.secondsToAdmit);
          expect(spread_.secondsToAdmit).toBeGreaterThanOrEqual(atOnce.secondsToAdmit);
        },
      ),
    );
  });

  it("says durations as people read them", () => {
    expect(formatDuration(45)).toBe("~45 s");
    expect(formatDuration(720)).toBe("~12 min");
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe("~2 h 5 min");
    expect(formatDuration(3 * 3600)).toBe("~3 h");
  });
});
