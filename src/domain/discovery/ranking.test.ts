import { describe, expect, it } from "vitest";
import { compareLive, compareUpcoming, upcomingScore } from "./ranking.ts";

const now = Date.parse("2026-12-03T12:00:00Z");
const hour = 3_600_000;

describe("discovery ranking", () => {
  it("ranks live Spaces by listeners now, then the most recent start", () => {
    const spaces = [
      { id: "a", listeners: 10, startedAt: now - hour },
      { id: "b", listeners: 900, startedAt: now - 2 * hour },
      { id: "c", listeners: 10, startedAt: now },
    ];
    expect(spaces.sort(compareLive).map((s) => s.id)).toEqual(["b", "c", "a"]);
  });

  it("ranks a big host's Space tomorrow above a small host's in an hour", () => {
    const big = { followers: 1_000_000, reminders: 0, startsAt: now + 24 * hour };
    const small = { followers: 20, reminders: 0, startsAt: now + hour };
    expect(upcomingScore(big, now)).toBeGreaterThan(upcomingScore(small, now));
  });

  it("prefers the sooner start between equal audiences, and counts reminders above followers", () => {
    const soon = { followers: 100, reminders: 0, startsAt: now + hour };
    const later = { followers: 100, reminders: 0, startsAt: now + 5 * hour };
    expect([later, soon].sort(compareUpcoming(now))).toEqual([soon, later]);
    const reminded = { followers: 0, reminders: 100, startsAt: now + hour };
    expect(upcomingScore(reminded, now)).toBeGreaterThan(upcomingScore(soon, now));
  });

  it("takes an unplanned start and one already past as now", () => {
    const unplanned = { followers: 5, reminders: 0, startsAt: null };
    const late = { followers: 5, reminders: 0, startsAt: now - hour };
    expect(upcomingScore(unplanned, now)).toBe(upcomingScore(late, now));
  });
});
