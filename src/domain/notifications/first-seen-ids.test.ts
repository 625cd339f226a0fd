import { describe, expect, it } from "vitest";
import { FirstSeenIds } from "./first-seen-ids.ts";

describe("FirstSeenIds", () => {
  it("says first once per id, however often it comes again", () => {
    const seen = new FirstSeenIds(500);
    expect(seen.first("41")).toBe(true);
    expect(seen.first("41")).toBe(false);
    expect(seen.first("42")).toBe(true);
    expect(seen.first("41")).toBe(false);
  });

  it("forgets the oldest ids past its bound", () => {
    const seen = new FirstSeenIds(2);
    seen.first("1");
    seen.first("2");
    seen.first("3");
    expect(seen.first("1")).toBe(true);
    expect(seen.first("3")).toBe(false);
  });
});
