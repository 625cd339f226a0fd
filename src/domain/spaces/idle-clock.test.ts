import { describe, expect, it } from "vitest";
import { IdleClock } from "./idle-clock.ts";

describe("IdleClock", () => {
  it("says end once a Space was idle for the whole period, counted from the first idle look", () => {
    const clock = new IdleClock(1000, 5000);
    expect(clock.observe("s", false, 0)).toBe(false);
    expect(clock.observe("s", false, 999)).toBe(false);
    expect(clock.observe("s", false, 1000)).toBe(true);
    // Not again while the end is under way, then again if the Space is still here.
    expect(clock.observe("s", false, 2000)).toBe(false);
    expect(clock.observe("s", false, 6000)).toBe(true);
  });

  it("starts over whenever someone is there", () => {
    const clock = new IdleClock(1000);
    clock.observe("s", false, 0);
    expect(clock.observe("s", true, 900)).toBe(false);
    expect(clock.observe("s", false, 1500)).toBe(false);
    expect(clock.since("s")).toBe(1500);
    expect(clock.observe("s", false, 2499)).toBe(false);
    expect(clock.observe("s", false, 2500)).toBe(true);
  });

  it("keeps each Space's time apart and forgets Spaces that went", () => {
    const clock = new IdleClock(1000);
    clock.observe("a", false, 0);
    clock.observe("b", false, 500);
    expect(clock.observe("a", false, 1000)).toBe(true);
    expect(clock.observe("b", false, 1000)).toBe(false);
    clock.keepOnly(new Set(["a"]));
    expect(clock.since("b")).toBeNull();
    expect(clock.observe("b", false, 5000)).toBe(false);
  });
});
