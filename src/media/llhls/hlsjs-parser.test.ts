/**
 * hls.js, the player the web app uses, parses what the renderers write: its M3U8Parser is an
 * independent reader of LL-HLS (parts, hints, server control) and of multivariant playlists.
 */
import { M3U8Parser, PlaylistLevelType } from "hls.js";
import { describe, expect, test } from "vitest";
import { LivePlaylist } from "./live-playlist.ts";
import { renderMultivariantPlaylist } from "./multivariant.ts";
import { renderMediaPlaylist } from "./render-media.ts";

const BASE = "https://amphi.example/hls/space-1/";
const T0 = Date.UTC(2025, 0, 1);

function parseMedia(text: string) {
  return M3U8Parser.parseLevelPlaylist(
    text,
    `${BASE}live.m3u8`,
    0,
    PlaylistLevelType.MAIN,
    0,
    null,
  );
}

function live(parts: number, options = {}): LivePlaylist {
  const playlist = new LivePlaylist(options);
  for (let i = 0; i < parts; i++) {
    playlist.addPart({ duration: 0.5, independent: true, startedAt: T0 + i * 500 });
  }
  return playlist;
}

describe("hls.js reads the media playlist", () => {
  test("a live low-latency playlist: targets, hold-back, blocking reload, parts, hint", () => {
    const details = parseMedia(renderMediaPlaylist(live(4 * 5 + 2).snapshot()));
    expect(details.playlistParsingError).toBeNull();
    expect(details).toMatchObject({
      live: true,
      version: 6,
      targetduration: 2,
      partTarget: 0.5,
      partHoldBack: 1.5,
      canBlockReload: true,
      startSN: 0,
      endSN: 4,
      hasProgramDateTime: true,
    });
    expect(details.fragments.map((f) => [f.sn, f.duration, f.relurl])).toEqual(
      [0, 1, 2, 3, 4].map((sn) => [sn, 2, `seg-${sn}.m4s`]),
    );
    expect(details.fragments.every((f) => f.initSegment?.relurl === "init.mp4")).toBe(true);
    expect(details.fragments[4]!.programDateTime).toBe(T0 + 8000);
    const parts = details.partList ?? [];
    expect(parts.map((p) => p.relurl)).toEqual([
      ...[3, 4].flatMap((msn) => [0, 1, 2, 3].map((i) => `part-${msn}-${i}.m4s`)),
      "part-5-0.m4s",
      "part-5-1.m4s",
    ]);
    expect(parts.every((p) => p.independent && p.duration === 0.5)).toBe(true);
    expect(details.preloadHint?.URI).toBe("part-5-2.m4s");
    expect(details.preloadHint?.TYPE).toBe("PART");
  });

  test("a slid window starts at its media sequence number", () => {
    const details = parseMedia(renderMediaPlaylist(live(4 * 10, { windowSegments: 4 }).snapshot()));
    expect(details).toMatchObject({ startSN: 6, endSN: 9, live: true });
  });

  test("a stream resumed by another media node: later sequence numbers on a new timeline", () => {
    const before = parseMedia(renderMediaPlaylist(live(4 * 5 + 2).snapshot()));
    const after = parseMedia(
      renderMediaPlaylist(
        live(4 * 2 + 1, { firstMediaSequence: 6, resumesAfterDiscontinuity: 0 }).snapshot(),
      ),
    );
    expect(after.playlistParsingError).toBeNull();
    expect(after.startSN).toBeGreaterThan(before.endSN);
    // hls.js puts the resumed segments in the next continuity counter: it re-times them by
    // their own dates rather than as the continuation of what it buffered.
    expect(before.fragments.every((f) => f.cc === 0)).toBe(true);
    expect(after.fragments.map((f) => f.cc)).toEqual([1, 1]);
    expect((after.partList ?? []).every((p) => p.fragment.cc === 1)).toBe(true);
  });

  test("an ended playlist is no longer live; the VOD rendering neither", () => {
    const playlist = live(4 * 3 + 1, { windowSegments: Infinity });
    playlist.end();
    const ended = parseMedia(renderMediaPlaylist(playlist.snapshot()));
    expect(ended.live).toBe(false);
    expect(ended.preloadHint).toBeUndefined();
    expect(ended.fragments.map((f) => f.duration)).toEqual([2, 2, 2, 0.5]);
    const vod = parseMedia(renderMediaPlaylist(playlist.snapshot(), { playlistType: "VOD" }));
    expect(vod).toMatchObject({ live: false, type: "VOD", partList: null });
    expect(vod.totalduration).toBeCloseTo(6.5);
  });
});

describe("hls.js reads the multivariant playlist", () => {
  test("one audio-only variant with its bandwidth and the opus codec", () => {
    const text = renderMultivariantPlaylist([{ uri: "live.m3u8", bandwidth: 48_000 }]);
    const parsed = M3U8Parser.parseMasterPlaylist(text, `${BASE}index.m3u8`);
    expect(parsed.playlistParsingError).toBeNull();
    expect(parsed.levels).toHaveLength(1);
    expect(parsed.levels[0]).toMatchObject({
      url: `${BASE}live.m3u8`,
      bitrate: 48_000,
      audioCodec: "opus",
    });
  });
});
