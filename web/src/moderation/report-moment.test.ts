import { describe, expect, it } from "vitest";
import { liveMomentSeconds, receiptPath, replayMomentSeconds } from "./report-moment";

describe("the moment a notice points at", () => {
  const start = "2026-12-03T10:00:00.000Z";
  const at = (iso: string) => Date.parse(iso);

  it("live, is what the listener hears: the time since the start less the player's delay", () => {
    expect(liveMomentSeconds(start, at("2026-12-03T10:05:00.000Z"), 2.4)).toBe(297);
    expect(liveMomentSeconds(start, at("2026-12-03T10:05:00.000Z"), null)).toBe(300);
  });

  it("never points before the start, and needs a start", () => {
    expect(liveMomentSeconds(start, at("2026-12-03T10:00:01.000Z"), 3)).toBe(0);
    expect(liveMomentSeconds(null, Date.now(), null)).toBeNull();
    expect(liveMomentSeconds("not a date", Date.now(), null)).toBeNull();
  });

  it("in the replay, is the replay's position in whole seconds", () => {
    expect(replayMomentSeconds(83.9)).toBe(83);
    expect(replayMomentSeconds(Number.NaN)).toBe(0);
    expect(replayMomentSeconds(-1)).toBe(0);
  });

  it("is followed later through a private link that carries the receipt's token", () => {
    expect(receiptPath({ id: "r1", token: "abc_-9" })).toBe("/reports/r1?token=abc_-9");
    expect(receiptPath({ id: "a/b", token: "x y" })).toBe("/reports/a%2Fb?token=x%20y");
  });
});
