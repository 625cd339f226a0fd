import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defaultRetrySeconds,
  maxAttempts,
  nextRetryDelayMs,
  parseRetrySeconds,
  type RetrySchedule,
} from "./retry-schedule.ts";

const production: RetrySchedule = {
  delaysSeconds: parseRetrySeconds(defaultRetrySeconds),
  jitter: 0.2,
};

describe("webhook retry schedule", () => {
  it("backs off exponentially: 5 s, 30 s, 2 min, 10 min, 1 h ... 24 h, then gives up", () => {
    const middle = () => 0.5; // no jitter
    const waits = Array.from({ length: 10 }, (_, i) => nextRetryDelayMs(production, i + 1, middle));
    expect(waits).toEqual([
      5_000,
      30_000,
      120_000,
      600_000,
      3_600_000,
      10_800_000,
      21_600_000,
      43_200_000,
      86_400_000,
      null,
    ]);
    expect(maxAttempts(production)).toBe(10);
  });

  it("spreads every wait by at most the jitter, and each wait is longer than the last", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, r) => {
          const wait = nextRetryDelayMs(production, n, () => r) as number;
          const base = (production.delaysSeconds[n - 1] as number) * 1000;
          expect(wait).toBeGreaterThanOrEqual(base * 0.8 - 1);
          expect(wait).toBeLessThanOrEqual(base * 1.2 + 1);
          if (n > 1) {
            const before = (production.delaysSeconds[n - 2] as number) * 1000 * 1.2;
            expect(wait).toBeGreaterThan(before);
          }
        },
      ),
    );
  });

  it("waits at least as long as the receiver's Retry-After, never past the longest wait", () => {
    const s: RetrySchedule = { delaysSeconds: [1, 10], jitter: 0 };
    expect(nextRetryDelayMs(s, 1, Math.random, 5)).toBe(5_000);
    expect(nextRetryDelayMs(s, 1, Math.random, 3_600)).toBe(10_000);
    expect(nextRetryDelayMs(s, 2, Math.random, 1)).toBe(10_000);
  });

  it("reads a schedule from configuration and refuses nonsense", () => {
    expect(parseRetrySeconds("0.2, 0.4")).toEqual([0.2, 0.4]);
    expect(() => parseRetrySeconds("5,soon")).toThrow();
    expect(() => parseRetrySeconds("-1")).toThrow();
  });
});
