import { describe, expect, it } from "vitest";
import { parseIcs, prop, unescapeText, unfoldIcs } from "../../test/support/ics.ts";
import type { CalendarSpaceRecord } from "../store/repositories/calendar-repository.ts";
import { calendarFileName, hostCalendar, spaceCalendar } from "./space-calendar.ts";

const site = { baseUrl: "https://amphi.example" };

function space(overrides: Partial<CalendarSpaceRecord> = {}): CalendarSpaceRecord {
  return {
    id: "sp_1",
    title: "Rates, risks; and \\ backslashes",
    description: "Line one\nLine two",
    state: "scheduled",
    scheduledFor: new Date("2026-12-24T20:00:00Z"),
    startedAt: null,
    endedAt: null,
    createdAt: new Date("2026-12-01T10:00:00Z"),
    updatedAt: new Date("2026-12-01T10:00:00Z"),
    host: { handle: "ann", displayName: "Ann, the host" },
    ...overrides,
  };
}

describe("a Space as an iCalendar event", () => {
  it("has the required properties, in UTC, escaped", () => {
    const cal = parseIcs(spaceCalendar(space(), site) ?? "");
    expect(prop(cal, "VERSION")).toBe("2.0");
    expect(prop(cal, "PRODID")).toMatch(/Amphi/);
    const [event] = cal.components;
    expect(event?.name).toBe("VEVENT");
    if (!event) return;
    expect(prop(event, "UID")).toBe("sp_1@amphi.example");
    expect(prop(event, "DTSTAMP")).toBe("20261201T100000Z");
    expect(prop(event, "DTSTART")).toBe("20261224T200000Z");
    expect(prop(event, "DTEND")).toBe("20261224T210000Z");
    expect(prop(event, "SUMMARY")).toBe("Rates\\, risks\\; and \\\\ backslashes");
    expect(unescapeText(prop(event, "SUMMARY"))).toBe("Rates, risks; and \\ backslashes");
    expect(unescapeText(prop(event, "DESCRIPTION"))).toContain("Line one\nLine two");
    expect(prop(event, "URL")).toBe("https://amphi.example/spaces/sp_1");
    expect(prop(event, "STATUS")).toBe("CONFIRMED");
    expect(prop(event, "SEQUENCE")).toBe("0");
  });

  it("folds long lines at 75 octets without splitting a character", () => {
    const title = `${"Écoute 🎧 ".repeat(12)}end`;
    const text = spaceCalendar(space({ title: title.slice(0, 100) }), site) ?? "";
    const lines = text.split("\r\n");
    expect(lines.some((l) => l.startsWith(" "))).toBe(true);
    const event = parseIcs(text).components[0];
    if (!event) throw new Error("no event");
    expect(unescapeText(prop(event, "SUMMARY"))).toBe(title.slice(0, 100));
    expect(unfoldIcs(text).every((l) => !l.startsWith(" "))).toBe(true);
  });

  it("is cancelled with a higher sequence once cancelled, and ends when it ended", () => {
    const cancelled = parseIcs(
      spaceCalendar(
        space({ state: "cancelled", updatedAt: new Date("2026-12-02T00:00:00Z") }),
        site,
      ) ?? "",
    ).components[0];
    if (!cancelled) throw new Error("no event");
    expect(prop(cancelled, "STATUS")).toBe("CANCELLED");
    expect(prop(cancelled, "SEQUENCE")).toBe("1");
    expect(prop(cancelled, "DTSTAMP")).toBe("20261202T000000Z");
    const ended = parseIcs(
      spaceCalendar(
        space({
          state: "ended",
          startedAt: new Date("2026-12-24T20:05:00Z"),
          endedAt: new Date("2026-12-24T22:30:00Z"),
        }),
        site,
      ) ?? "",
    ).components[0];
    if (!ended) throw new Error("no event");
    expect(prop(ended, "DTSTART")).toBe("20261224T200500Z");
    expect(prop(ended, "DTEND")).toBe("20261224T223000Z");
    expect(prop(ended, "SEQUENCE")).toBe("2");
  });

  it("has no event for a Space without a time", () => {
    expect(spaceCalendar(space({ scheduledFor: null }), site)).toBeNull();
  });

  it("gives the same bytes for the same Space", () => {
    expect(spaceCalendar(space(), site)).toBe(spaceCalendar(space(), site));
  });

  it("makes a host feed that leaves out Spaces without a time", () => {
    const text = hostCalendar(
      { handle: "ann", displayName: "Ann" },
      [space(), space({ id: "sp_2", scheduledFor: null }), space({ id: "sp_3" })],
      site,
    );
    const cal = parseIcs(text);
    expect(cal.components.map((c) => prop(c, "UID"))).toEqual([
      "sp_1@amphi.example",
      "sp_3@amphi.example",
    ]);
    expect(text).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
  });

  it("names the file after the title", () => {
    expect(calendarFileName("Tonight: rates & risks!", "x")).toBe("tonight-rates-risks.ics");
    expect(calendarFileName("🎧", "sp_1")).toBe("sp_1.ics");
  });
});
