import { describe, expect, it } from "vitest";
import { arrivalForecast, batchDelaySeconds, spreadSeconds } from "./fan-out-plan.ts";

const settings = { maxSpreadSeconds: 30, admitRatePerSecond: 2_000 };

describe("fan-out plan", () => {
  it("tells a small audience at once and a large one over the whole window", () => {
    expect(spreadSeconds(0, settings)).toBe(0);
    expect(spreadSeconds(50, settings)).toBeCloseTo(0.025);
    expect(spreadSeconds(20_000, settings)).toBe(10);
    expect(spreadSeconds(1_000_000, settings)).toBe(30);
    expect(spreadSeconds(1_000_000, { ...settings, maxSpreadSeconds: 0 })).toBe(0);
  });

  it("puts one delivery in each slice of the window, jittered inside it", () => {
    const delays = Array.from({ length: 200 }, (_, i) => batchDelaySeconds(i, 200, 30));
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(i * 0.15);
      expect(d).toBeLessThanOrEqual((i + 1) * 0.15);
    });
    expect(batchDelaySeconds(0, 1, 0)).toBe(0);
    expect(batchDelaySeconds(3, 4, 8, () => 0.5)).toBe(7);
  });

  it("forecasts the arrival rate the spread produces and the line it leaves", () => {
    const million = arrivalForecast(1_000_000, settings);
    expect(million.spreadSeconds).toBe(30);
    expect(million.expectedArrivalsPerSecond).toBeCloseTo(33_333.33);
    // 33,333/s arrive for 30 s, 2,000/s get in: 940,000 wait, the last ~470 s.
    expect(million.expectedPeakQueue).toBe(940_000);
    expect(million.expectedMaxWaitSeconds).toBe(470);
    const fits = arrivalForecast(20_000, settings);
    expect(fits.expectedArrivalsPerSecond).toBe(2_000);
    expect(fits.expectedPeakQueue).toBe(0);
  });
});
