import { describe, expect, it } from "vitest";
import { inQuietHours, isTimeZone, localMinutes, minutesOf } from "./quiet-hours.ts";

const paris = (start: string, end: string) => ({ start, end, timeZone: "Europe/Paris" });

describe("quiet hours", () => {
  it("reads HH:MM and refuses anything else", () => {
    expect(minutesOf("07:30")).toBe(450);
    expect(minutesOf("23:59")).toBe(1439);
    expect(minutesOf("24:00")).toBeNull();
    expect(minutesOf("7:30")).toBeNull();
  });

  it("knows IANA time zones", () => {
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });

  it("reads the local time in the person's zone, summer time included", () => {
    // 21:30 UTC in July is 23:30 in Paris (UTC+2), in January 22:30 (UTC+1).
    expect(localMinutes(new Date("2026-07-01T21:30:00Z"), "Europe/Paris")).toBe(23 * 60 + 30);
    expect(localMinutes(new Date("2026-01-01T21:30:00Z"), "Europe/Paris")).toBe(22 * 60 + 30);
  });

  it("a window past midnight holds the late evening and the early morning", () => {
    const q = paris("22:00", "07:00");
    expect(inQuietHours(q, new Date("2026-01-01T21:30:00Z"))).toBe(true); // 22:30
    expect(inQuietHours(q, new Date("2026-01-02T05:59:00Z"))).toBe(true); // 06:59
    expect(inQuietHours(q, new Date("2026-01-02T06:00:00Z"))).toBe(false); // 07:00
    expect(inQuietHours(q, new Date("2026-01-01T12:00:00Z"))).toBe(false); // 13:00
  });

  it("a window within one day holds only its hours", () => {
    const q = paris("13:00", "14:00");
    expect(inQuietHours(q, new Date("2026-01-01T12:00:00Z"))).toBe(true);
    expect(inQuietHours(q, new Date("2026-01-01T13:00:00Z"))).toBe(false);
  });

  it("no window, an empty one or a broken zone is never quiet", () => {
    expect(inQuietHours(null, new Date())).toBe(false);
    expect(inQuietHours(paris("10:00", "10:00"), new Date())).toBe(false);
    expect(
      inQuietHours({ start: "00:00", end: "23:59", timeZone: "Nowhere/Land" }, new Date()),
    ).toBe(false);
  });
});
