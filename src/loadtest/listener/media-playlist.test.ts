import { describe, expect, it } from "vitest";
import {
  LivePlaylist,
  renderMediaPlaylist,
  renderMultivariantPlaylist,
} from "../../media/llhls/index.ts";
import {
  firstVariantUri,
  isMultivariantPlaylist,
  nextBlockingReload,
  parseMediaPlaylist,
  partsAfter,
  startingParts,
} from "./media-playlist.ts";

/** A live playlist with `count` half-second parts (4 to a segment), as the origin renders it. */
function live(count: number): LivePlaylist {
  const playlist = new LivePlaylist();
  for (let i = 0; i < count; i++) playlist.addPart({ duration: 0.5, independent: true });
  return playlist;
}

describe("reading the origin's playlists", () => {
  it("finds the media playlist in a multivariant playlist", () => {
    const text = renderMultivariantPlaylist([{ uri: "live.m3u8", bandwidth: 48_000 }]);
    expect(isMultivariantPlaylist(text)).toBe(true);
    expect(firstVariantUri(text)).toBe("live.m3u8");
    expect(isMultivariantPlaylist(renderMediaPlaylist(live(3).snapshot()))).toBe(false);
  });

  it("numbers every listed part by segment and position, open segment included", () => {
    const parsed = parseMediaPlaylist(renderMediaPlaylist(live(10).snapshot()));
    expect(parsed).toMatchObject({
      targetDuration: 2,
      partTarget: 0.5,
      partHoldBack: 1.5,
      canBlockReload: true,
      mediaSequence: 0,
      mapUri: "init.mp4",
      completeSegments: [0, 1],
      preloadHint: "part-2-2.m4s",
      ended: false,
    });
    expect(parsed.parts.map((p) => `${p.msn}.${p.index}`)).toEqual([
      "0.0",
      "0.1",
      "0.2",
      "0.3",
      "1.0",
      "1.1",
      "1.2",
      "1.3",
      "2.0",
      "2.1",
    ]);
    expect(parsed.parts[9]).toEqual({ msn: 2, index: 1, uri: "part-2-1.m4s", duration: 0.5 });
  });

  it("keeps msns right when old segments are listed without their parts", () => {
    const parsed = parseMediaPlaylist(renderMediaPlaylist(live(41).snapshot()));
    // 10 complete segments, the window keeps 6 (msn 4..9), parts only for the last 3 s.
    expect(parsed.mediaSequence).toBe(4);
    expect(parsed.completeSegments).toEqual([4, 5, 6, 7, 8, 9]);
    expect(parsed.parts.at(0)).toMatchObject({ msn: 8, index: 0, uri: "part-8-0.m4s" });
    expect(parsed.parts.at(-1)).toMatchObject({ msn: 10, index: 0, uri: "part-10-0.m4s" });
  });

  it("asks for the next index in an open segment and part 0 after a complete one", () => {
    const parsed = parseMediaPlaylist(renderMediaPlaylist(live(10).snapshot()));
    expect(nextBlockingReload(parsed, { msn: 2, index: 1 })).toEqual({ msn: 2, index: 2 });
    expect(nextBlockingReload(parsed, { msn: 1, index: 3 })).toEqual({ msn: 2, index: 0 });
    expect(partsAfter(parsed, { msn: 1, index: 2 }).map((p) => p.uri)).toEqual([
      "part-1-3.m4s",
      "part-2-0.m4s",
      "part-2-1.m4s",
    ]);
  });

  it("starts PART-HOLD-BACK behind the live edge, like hls.js", () => {
    const parsed = parseMediaPlaylist(renderMediaPlaylist(live(10).snapshot()));
    expect(startingParts(parsed).map((p) => p.uri)).toEqual([
      "part-1-3.m4s",
      "part-2-0.m4s",
      "part-2-1.m4s",
    ]);
    expect(startingParts(parseMediaPlaylist(renderMediaPlaylist(live(1).snapshot())))).toHaveLength(
      1,
    );
  });

  it("sees the end of the stream", () => {
    const playlist = live(5);
    playlist.end();
    const parsed = parseMediaPlaylist(renderMediaPlaylist(playlist.snapshot()));
    expect(parsed.ended).toBe(true);
    expect(parsed.preloadHint).toBeUndefined();
  });

  it("refuses what is not a media playlist", () => {
    expect(() => parseMediaPlaylist('{"error":{}}')).toThrow();
    expect(() => parseMediaPlaylist("#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n")).toThrow();
  });
});
