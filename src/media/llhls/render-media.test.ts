import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { LivePlaylist } from "./live-playlist.ts";
import { renderMediaPlaylist } from "./render-media.ts";

const T0 = Date.UTC(2025, 0, 1);

/** Attribute lists per RFC 8216bis §4.2: NAME=value, value quoted or not, comma-separated. */
function attributes(line: string): Record<string, string> {
  const list = line.slice(line.indexOf(":") + 1);
  const pairs = [...list.matchAll(/([A-Z0-9-]+)=("[^"\r\n]*"|[^",\s]+)(,|$)/g)];
  expect(pairs.map((p) => p[0]).join("")).toBe(list); // nothing unparsed
  return Object.fromEntries(pairs.map((p) => [p[1]!, p[2]!]));
}

const lines = (text: string) => text.trimEnd().split("\n");
const tagValue = (text: string, name: string) =>
  lines(text)
    .find((l) => l.startsWith(`#${name}:`))
    ?.slice(name.length + 2);
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

function live(parts: number, options = {}): LivePlaylist {
  const playlist = new LivePlaylist(options);
  for (let i = 0; i < parts; i++) {
    playlist.addPart({ duration: 0.5, independent: true, startedAt: T0 + i * 500 });
  }
  return playlist;
}

describe("media playlist grammar", () => {
  const text = renderMediaPlaylist(live(4 * 5 + 2).snapshot());

  test("header tags in order, each once, ending with a newline", () => {
    const header = lines(text).slice(0, 8);
    expect(header.map((l) => l.split(":")[0])).toEqual([
      "#EXTM3U",
      "#EXT-X-VERSION",
      "#EXT-X-TARGETDURATION",
      "#EXT-X-SERVER-CONTROL",
      "#EXT-X-PART-INF",
      "#EXT-X-MEDIA-SEQUENCE",
      "#EXT-X-INDEPENDENT-SEGMENTS",
      "#EXT-X-MAP",
    ]);
    expect(text.endsWith("\n")).toBe(true);
    expect(tagValue(text, "EXT-X-VERSION")).toBe("6");
    expect(tagValue(text, "EXT-X-TARGETDURATION")).toBe("2");
    expect(tagValue(text, "EXT-X-MEDIA-SEQUENCE")).toBe("0");
  });

  test("SERVER-CONTROL: blocking reload, PART-HOLD-BACK three part targets (§4.4.3.8)", () => {
    const line = lines(text).find((l) => l.startsWith("#EXT-X-SERVER-CONTROL:"))!;
    expect(attributes(line)).toEqual({ "CAN-BLOCK-RELOAD": "YES", "PART-HOLD-BACK": "1.500" });
    const partInf = lines(text).find((l) => l.startsWith("#EXT-X-PART-INF:"))!;
    expect(attributes(partInf)).toEqual({ "PART-TARGET": "0.500" });
  });

  test("EXT-X-MAP names the init segment with a quoted URI", () => {
    expect(attributes(lines(text).find((l) => l.startsWith("#EXT-X-MAP:"))!)).toEqual({
      URI: '"init.mp4"',
    });
  });

  test("EXT-X-PART: DURATION, quoted URI, INDEPENDENT=YES (§4.4.4.9)", () => {
    const parts = lines(text).filter((l) => l.startsWith("#EXT-X-PART:"));
    expect(parts.length).toBeGreaterThan(0);
    for (const line of parts) {
      const attrs = attributes(line);
      expect(Object.keys(attrs)).toEqual(["DURATION", "URI", "INDEPENDENT"]);
      expect(attrs.DURATION).toMatch(DECIMAL);
      expect(attrs.URI).toMatch(/^"part-\d+-\d+\.m4s"$/);
      expect(attrs.INDEPENDENT).toBe("YES");
    }
  });

  test("each segment: PROGRAM-DATE-TIME before its parts, EXTINF then its URI", () => {
    const all = lines(text);
    all.forEach((line, i) => {
      if (!line.startsWith("#EXTINF:")) return;
      expect(line).toMatch(/^#EXTINF:[0-9]+\.[0-9]+,$/);
      expect(all[i + 1]).toMatch(/^seg-\d+\.m4s$/);
    });
    const dateLine = all.indexOf("#EXT-X-PROGRAM-DATE-TIME:2025-01-01T00:00:08.000Z");
    expect(all[dateLine + 1]).toBe('#EXT-X-PART:DURATION=0.500,URI="part-4-0.m4s",INDEPENDENT=YES');
  });

  test("parts only for segments within three target durations of the end (§6.2.2)", () => {
    // 5 complete segments (0..4) + 1 s of segment 5: segments 3 and 4 start 5 s and 3 s from
    // the end; segment 2 starts 7 s from the end, more than 3 x 2 s.
    const uris = lines(text)
      .filter((l) => l.startsWith("#EXT-X-PART:"))
      .map((l) => attributes(l).URI);
    expect(new Set(uris.map((u) => u!.split("-")[1]))).toEqual(new Set(["3", "4", "5"]));
    expect(uris.slice(-2)).toEqual(['"part-5-0.m4s"', '"part-5-1.m4s"']);
  });

  test("the preload hint names the next part, last, and only once (§4.4.5.3)", () => {
    expect(lines(text).at(-1)).toBe('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-5-2.m4s"');
    const atBoundary = renderMediaPlaylist(live(8).snapshot());
    expect(lines(atBoundary).at(-1)).toBe('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-2-0.m4s"');
    expect(atBoundary.match(/PRELOAD-HINT/g)).toHaveLength(1);
  });

  test("an ended playlist has ENDLIST and no preload hint", () => {
    const playlist = live(6);
    playlist.end();
    const ended = renderMediaPlaylist(playlist.snapshot());
    expect(lines(ended).at(-1)).toBe("#EXT-X-ENDLIST");
    expect(ended).not.toContain("PRELOAD-HINT");
    expect(ended).toContain("#EXTINF:1.000,\nseg-1.m4s");
    expect(ended).not.toContain("PLAYLIST-TYPE");
  });

  test("VOD: only once ended, with PLAYLIST-TYPE and no low-latency tags", () => {
    const playlist = live(4 * 3, { windowSegments: Infinity });
    expect(() => renderMediaPlaylist(playlist.snapshot(), { playlistType: "VOD" })).toThrow();
    playlist.end();
    const vod = renderMediaPlaylist(playlist.snapshot(), { playlistType: "VOD" });
    expect(vod).toContain("#EXT-X-PLAYLIST-TYPE:VOD\n");
    expect(vod).not.toMatch(/EXT-X-PART|SERVER-CONTROL|PRELOAD-HINT/);
    expect(vod.match(/#EXTINF/g)).toHaveLength(3);
    expect(lines(vod).at(-1)).toBe("#EXT-X-ENDLIST");
  });

  test("a window that slid shows its media sequence and no older segments", () => {
    const slid = renderMediaPlaylist(live(4 * 10, { windowSegments: 4 }).snapshot());
    expect(tagValue(slid, "EXT-X-MEDIA-SEQUENCE")).toBe("6");
    expect(lines(slid).filter((l) => l.startsWith("seg-"))).toEqual([
      "seg-6.m4s",
      "seg-7.m4s",
      "seg-8.m4s",
      "seg-9.m4s",
    ]);
  });
});

describe("media playlist invariants (property)", () => {
  const config = fc
    .record({
      partTarget: fc.constantFrom(0.2, 0.25, 1 / 3, 0.5, 1),
      ratio: fc.double({ min: 1, max: 12, noNaN: true }),
      windowSegments: fc.integer({ min: 1, max: 8 }),
    })
    .chain(({ partTarget, ratio, windowSegments }) =>
      fc.record({
        options: fc.constant({ partTarget, segmentTarget: partTarget * ratio, windowSegments }),
        durations: fc.array(fc.double({ min: 0.001, max: partTarget, noNaN: true }), {
          maxLength: 80,
        }),
        end: fc.boolean(),
      }),
    );

  test("segments fit TARGETDURATION, sequence numbers run on, part URIs are unique", () => {
    fc.assert(
      fc.property(config, ({ options, durations, end }) => {
        const playlist = new LivePlaylist(options);
        let lastSequence = 0;
        const check = () => {
          const text = renderMediaPlaylist(playlist.snapshot());
          const all = lines(text);
          const target = Number(tagValue(text, "EXT-X-TARGETDURATION"));
          expect(target).toBe(playlist.targetDuration);
          const partTarget = Number(attributes(tagValue(text, "EXT-X-PART-INF")!)["PART-TARGET"]);
          const sequence = Number(tagValue(text, "EXT-X-MEDIA-SEQUENCE"));
          expect(sequence).toBeGreaterThanOrEqual(lastSequence);
          lastSequence = sequence;
          const extinf = all.filter((l) => l.startsWith("#EXTINF:"));
          for (const line of extinf) {
            // §4.4.3.1: rounded to the nearest integer, at most the target duration.
            expect(Math.round(Number.parseFloat(line.slice(8)))).toBeLessThanOrEqual(target);
          }
          const msns = all.filter((l) => l.startsWith("seg-")).map((l) => Number(l.slice(4, -4)));
          expect(msns).toEqual(msns.map((_, i) => sequence + i));
          const partLines = all.filter((l) => l.startsWith("#EXT-X-PART:"));
          const uris = partLines.map((l) => attributes(l).URI);
          const hint = all.find((l) => l.startsWith("#EXT-X-PRELOAD-HINT:"));
          if (hint) uris.push(attributes(hint).URI);
          expect(new Set(uris).size).toBe(uris.length);
          for (const line of partLines) {
            expect(Number(attributes(line).DURATION)).toBeLessThanOrEqual(partTarget + 1e-9);
          }
        };
        for (const duration of durations) {
          playlist.addPart({ duration, independent: true });
          check();
        }
        if (end) {
          playlist.end();
          check();
        }
      }),
      { numRuns: 150 },
    );
  });
});
