import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dateTime, decimal, quoted, tag } from "./format.ts";
import { INIT_URI, parseMediaUri, partUri, segmentUri } from "./uris.ts";

describe("resource names", () => {
  test("init, segments and parts have stable names", () => {
    expect(INIT_URI).toBe("init.mp4");
    expect(segmentUri(0)).toBe("seg-0.m4s");
    expect(segmentUri(1234)).toBe("seg-1234.m4s");
    expect(partUri(12, 3)).toBe("part-12-3.m4s");
    expect(() => segmentUri(-1)).toThrow(RangeError);
    expect(() => partUri(1, 0.5)).toThrow(RangeError);
  });

  test("parseMediaUri reads back what the helpers write, and nothing else", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (msn, index) => {
        expect(parseMediaUri(segmentUri(msn))).toEqual({ kind: "segment", msn });
        expect(parseMediaUri(partUri(msn, index))).toEqual({ kind: "part", msn, index });
      }),
    );
    expect(parseMediaUri("init.mp4")).toEqual({ kind: "init" });
    for (const name of [
      "seg-01.m4s",
      "seg-1.mp4",
      "part-1.m4s",
      "part-1-2-3.m4s",
      "seg--1.m4s",
      "seg-99999999999999999.m4s",
      "../seg-1.m4s",
      "live.m3u8",
    ]) {
      expect(parseMediaUri(name)).toBeUndefined();
    }
  });
});

describe("attribute formats (RFC 8216bis §4.2)", () => {
  test("decimal-floating-point: no exponent, three to five decimals", () => {
    expect(decimal(2)).toBe("2.000");
    expect(decimal(0.5)).toBe("0.500");
    expect(decimal(0.0025)).toBe("0.0025");
    expect(decimal(1.23456)).toBe("1.23456");
    expect(decimal(1e-7)).toBe("0.000");
    expect(decimal(25 * 0.02)).toBe("0.500");
    expect(() => decimal(-1)).toThrow(RangeError);
    expect(() => decimal(Number.NaN)).toThrow(RangeError);
  });

  test("quoted-string refuses quotes and line breaks", () => {
    expect(quoted("init.mp4")).toBe('"init.mp4"');
    expect(() => quoted('a"b')).toThrow(RangeError);
    expect(() => quoted("a\nb")).toThrow(RangeError);
  });

  test("program date-time is ISO 8601 with milliseconds in UTC", () => {
    expect(dateTime(Date.UTC(2025, 5, 1, 12, 30, 0, 250))).toBe("2025-06-01T12:30:00.250Z");
  });

  test("attribute-list: comma-separated pairs, absent values left out", () => {
    expect(tag("EXT-X-PART", { DURATION: "0.500", URI: '"a"', INDEPENDENT: undefined })).toBe(
      '#EXT-X-PART:DURATION=0.500,URI="a"',
    );
  });
});
