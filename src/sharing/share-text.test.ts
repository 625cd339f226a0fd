import { describe, expect, it } from "vitest";
import {
  clip,
  formatClock,
  formatDuration,
  formatUtc,
  groupDigits,
  statusLine,
} from "./share-text.ts";

const now = new Date("2026-12-03T06:00:00Z");

describe("share text", () => {
  it("formats counts, times and lengths the same on every server", () => {
    expect(groupDigits(0)).toBe("0");
    expect(groupDigits(1234)).toBe("1,234");
    expect(groupDigits(193_000_000)).toBe("193,000,000");
    expect(formatUtc(new Date("2026-12-03T18:00:00Z"), now)).toBe("Thu 3 Dec, 18:00 UTC");
    expect(formatUtc(new Date("2027-01-05T09:05:00Z"), now)).toBe("Tue 5 Jan 2027, 09:05 UTC");
    expect(formatDuration(35)).toBe("35 s");
    expect(formatDuration(2520)).toBe("42 min");
    expect(formatDuration(3900)).toBe("1 h 05 min");
    expect(formatClock(125)).toBe("2:05");
    expect(formatClock(3725)).toBe("1:02:05");
  });

  it("says the status of a Space in one line", () => {
    expect(statusLine({ kind: "live", listeners: 1234 }, now)).toBe("LIVE · 1,234 listening");
    expect(statusLine({ kind: "scheduled", at: new Date("2026-12-03T18:00:00Z") }, now)).toBe(
      "Scheduled · Thu 3 Dec, 18:00 UTC",
    );
    expect(statusLine({ kind: "replay", seconds: 2520 }, now)).toBe("Replay · 42 min");
    expect(statusLine({ kind: "cancelled" }, now)).toBe("Cancelled");
  });

  it("shortens text by code points, with an ellipsis", () => {
    expect(clip("short", 10)).toBe("short");
    expect(clip("a long sentence", 7)).toBe("a long…");
    expect(clip("😀😀😀😀", 3)).toBe("😀😀…");
  });
});
