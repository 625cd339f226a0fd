import { describe, expect, it } from "vitest";
import {
  defaultPeriod,
  periodFromSearch,
  periodPresets,
  periodRange,
  rankedCounts,
} from "./transparency-period";

const now = Date.parse("2026-12-03T11:00:00.000Z");

describe("the transparency report's period", () => {
  it("is the last 30 days, today included, unless the address names one", () => {
    expect(defaultPeriod(now)).toEqual({ from: "2026-11-04", to: "2026-12-03" });
    expect(periodFromSearch(new URLSearchParams("from=2026-01-01&to=2026-06-30"), now)).toEqual({
      from: "2026-01-01",
      to: "2026-06-30",
    });
  });

  it("falls back to the default for a malformed or reversed period", () => {
    for (const query of [
      "from=2026-13-01&to=2026-12-01",
      "from=yesterday&to=2026-12-01",
      "from=2026-12-02&to=2026-12-01",
      "to=2026-12-01",
    ]) {
      expect(periodFromSearch(new URLSearchParams(query), now)).toEqual(defaultPeriod(now));
    }
  });

  it("asks the API for a half-open range that includes the whole last day", () => {
    expect(periodRange({ from: "2026-12-01", to: "2026-12-03" })).toEqual({
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-04T00:00:00.000Z",
    });
  });

  it("offers this year, 30 days and 6 months", () => {
    const presets = periodPresets(now).map((p) => [p.label, p.period.from]);
    expect(presets).toContainEqual(["This year", "2026-01-01"]);
    expect(presets.map(([label]) => label)).toEqual(["Last 30 days", "Last 6 months", "This year"]);
  });
});

describe("a count table", () => {
  it("lists the non-zero counts, largest first, ties by name", () => {
    expect(rankedCounts({ warn: 1, dismiss: 0, suspend: 3, end_space: 1 })).toEqual([
      ["suspend", 3],
      ["end_space", 1],
      ["warn", 1],
    ]);
  });
});
