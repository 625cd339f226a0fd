import { describe, expect, it } from "vitest";
import { parseCount, parseRate } from "./flag-values.ts";

describe("parseCount", () => {
  it.each([
    ["1300000", 1_300_000],
    ["1.3M", 1_300_000],
    ["1.1M", 1_100_000], // 1.1 * 1e6 is 1100000.0000000002 in floating point
    ["10m", 10_000_000],
    ["20k", 20_000],
    ["0.5K", 500],
    ["1,300,000", 1_300_000],
    ["1_300_000", 1_300_000],
    [" 42 ", 42],
  ])("%s -> %d", (text, value) => {
    expect(parseCount(text)).toEqual({ ok: true, value });
  });

  it.each(["", "abc", "0", "-5", "1.5", "1.2345k", "1e6", "1.3G", "20000000000"])(
    "refuses %j",
    (text) => {
      expect(parseCount(text)).toMatchObject({ ok: false, reason: expect.any(String) });
    },
  );
});

describe("parseRate", () => {
  it.each([
    ["2000", 2_000],
    ["0.5", 0.5],
    ["1.5k", 1_500],
    ["2.5M", 2_500_000],
  ])("%s -> %d", (text, value) => {
    expect(parseRate(text)).toEqual({ ok: true, value });
  });

  it.each(["0", "0.0", "-1", "fast", "1/s"])("refuses %j", (text) => {
    expect(parseRate(text)).toMatchObject({ ok: false });
  });
});
