import { describe, expect, it } from "vitest";
import { xml2js } from "xml-js";
import { avatarColor, cardContent, cardSvg, initials } from "./card-svg.ts";
import { testSpace } from "./test-subjects.ts";

const now = new Date("2026-12-03T06:00:00Z");

describe("card SVG", () => {
  it("says LIVE with the listeners, the scheduled time or the replay's length", () => {
    const live = testSpace({ state: "live" });
    live.counts.listeners = 1234;
    expect(cardContent({ kind: "space", space: live, replaySeconds: null }, now).badge).toEqual({
      text: "LIVE · 1,234 listening",
      live: true,
    });
    expect(
      cardContent({ kind: "space", space: testSpace(), replaySeconds: null }, now).badge?.text,
    ).toBe("Scheduled · Thu 3 Dec, 18:00 UTC");
    const ended = testSpace({ state: "ended" });
    expect(cardContent({ kind: "space", space: ended, replaySeconds: 2520 }, now).badge?.text).toBe(
      "Replay · 42 min",
    );
  });

  it("is well-formed XML with hostile text, which stays text", () => {
    const title = `</text><script>x</script> & "q" ]]> \u0001`;
    const svg = cardSvg(
      cardContent({ kind: "space", space: testSpace({ title }), replaySeconds: null }, now),
    );
    expect(svg).not.toContain("<script>");
    const doc = xml2js(svg, { compact: false }) as { elements: { name: string }[] };
    expect(doc.elements[0]?.name).toBe("svg");
  });

  it("draws avatars as the web app does", () => {
    expect(initials("Ada Lovelace", "ada")).toBe("AL");
    expect(initials("ada", "ada")).toBe("AD");
    expect(avatarColor("ada")).toMatch(/^#[0-9a-f]{6}$/);
  });
});
