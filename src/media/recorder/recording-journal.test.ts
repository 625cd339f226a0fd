import { describe, expect, it } from "vitest";
import { formatEntry, type JournalEntry, parseJournal, readJournal } from "./recording-journal.ts";
import { partsInRange, renderRecordingPlaylist, totalDuration } from "./recording-playlist.ts";

const entry = (msn: number, index: number, duration = 0.5): JournalEntry => ({
  uri: `part-${msn}-${index}.m4s`,
  msn,
  index,
  duration,
  startedAt: 1_700_000_000_000 + (msn * 4 + index) * 500,
});

describe("recording journal", () => {
  it("reads back every complete line", () => {
    const entries = [entry(0, 0), entry(0, 1), entry(0, 2)];
    expect(parseJournal(entries.map(formatEntry).join(""))).toEqual(entries);
  });

  it("skips a torn or damaged line and reads every line after it", () => {
    const good = [entry(0, 0), entry(0, 1)].map(formatEntry).join("");
    expect(parseJournal(`${good}{"uri":"part-0-2.m4s","ms`)).toHaveLength(2);
    // A failed append left half a line; the retried line and everything after it count.
    const torn = `${good}{"uri":"part-0-2.m4s","ms\n${formatEntry(entry(0, 2))}${formatEntry(entry(0, 3))}`;
    expect(readJournal(torn)).toEqual({
      entries: [entry(0, 0), entry(0, 1), entry(0, 2), entry(0, 3)],
      skipped: 1,
    });
    expect(parseJournal(`${good}garbage\n${formatEntry(entry(0, 3))}`)).toHaveLength(3);
    expect(
      parseJournal(
        `${good}{"uri":"../../etc/passwd","msn":1,"index":0,"duration":1,"startedAt":0}\n`,
      ),
    ).toHaveLength(2);
    expect(parseJournal("")).toEqual([]);
  });

  it("keeps one entry per part when an append was retried, and the timeline in order", () => {
    const text = [entry(0, 0), entry(0, 1), entry(0, 1), entry(0, 0), entry(1, 0)]
      .map(formatEntry)
      .join("");
    expect(readJournal(text)).toEqual({
      entries: [entry(0, 0), entry(0, 1), entry(1, 0)],
      skipped: 2,
    });
  });
});

describe("recording playlist", () => {
  it("lists every part as a VOD segment with the init map and an end", () => {
    const text = renderRecordingPlaylist([entry(0, 0), entry(0, 1, 0.25)]);
    expect(text.split("\n")).toEqual([
      "#EXTM3U",
      "#EXT-X-VERSION:6",
      "#EXT-X-TARGETDURATION:1",
      "#EXT-X-PLAYLIST-TYPE:VOD",
      "#EXT-X-MEDIA-SEQUENCE:0",
      "#EXT-X-INDEPENDENT-SEGMENTS",
      '#EXT-X-MAP:URI="init.mp4"',
      `#EXT-X-PROGRAM-DATE-TIME:${new Date(entry(0, 0).startedAt).toISOString()}`,
      "#EXTINF:0.500,",
      "part-0-0.m4s",
      "#EXTINF:0.250,",
      "part-0-1.m4s",
      "#EXT-X-ENDLIST",
      "",
    ]);
  });

  it("picks the parts covering a time range", () => {
    const entries = Array.from({ length: 10 }, (_, i) => entry(Math.floor(i / 4), i % 4));
    expect(totalDuration(entries)).toBe(5);
    expect(partsInRange(entries, 1, 2).map((e) => e.uri)).toEqual(["part-0-2.m4s", "part-0-3.m4s"]);
    expect(partsInRange(entries, 1.2, 1.3)).toHaveLength(1);
    expect(partsInRange(entries, 6, 8)).toEqual([]);
  });
});
