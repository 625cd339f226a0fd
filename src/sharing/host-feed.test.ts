import { describe, expect, it } from "vitest";
import { xml2js } from "xml-js";
import { escapeXml, renderHostFeed } from "./host-feed.ts";

describe("host feed", () => {
  it("escapes text and drops characters XML cannot carry", () => {
    expect(escapeXml(`a&b<c>"d'\u0001`)).toBe("a&amp;b&lt;c&gt;&quot;d&apos;");
  });

  it("stays well-formed XML whatever the titles say", () => {
    const hostile = `]]> ]]> <item> & "x" 'y' \u0002`;
    const xml = renderHostFeed({
      origin: "https://a.example",
      host: { handle: "ada", displayName: hostile, bio: hostile },
      episodes: [
        {
          spaceId: "s1",
          title: hostile,
          description: hostile,
          startedAt: new Date("2026-12-01T18:00:00Z"),
          durationSeconds: 2520.4,
          length: 123_456,
        },
      ],
      now: new Date("2026-12-03T00:00:00Z"),
    });
    const doc = xml2js(xml, { compact: true }) as any;
    const item = doc.rss.channel.item;
    expect(item.title._text).toBe(`]]> ]]> <item> & "x" 'y' `);
    expect(item.pubDate._text).toBe("Tue, 01 Dec 2026 18:00:00 GMT");
    expect(item["itunes:duration"]._text).toBe("2520");
    expect(item.enclosure._attributes).toEqual({
      url: "https://a.example/recordings/s1/download.m4a",
      type: "audio/mp4",
      length: "123456",
    });
  });
});
