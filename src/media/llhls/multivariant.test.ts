import { describe, expect, test } from "vitest";
import { renderMultivariantPlaylist } from "./multivariant.ts";
import { MEDIA_PLAYLIST_URI } from "./uris.ts";

describe("renderMultivariantPlaylist (§4.4.6)", () => {
  test("one Opus variant: EXT-X-STREAM-INF with BANDWIDTH and CODECS, then its URI", () => {
    expect(renderMultivariantPlaylist([{ uri: MEDIA_PLAYLIST_URI, bandwidth: 48_000 }])).toBe(
      [
        "#EXTM3U",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        '#EXT-X-STREAM-INF:BANDWIDTH=48000,CODECS="opus"',
        "live.m3u8",
        "",
      ].join("\n"),
    );
  });

  test("AVERAGE-BANDWIDTH and other codecs when given, variants in order", () => {
    const text = renderMultivariantPlaylist([
      { uri: "low.m3u8", bandwidth: 40_000, averageBandwidth: 36_000 },
      { uri: "high.m3u8", bandwidth: 140_000, codecs: ["opus", "mp4a.40.2"] },
    ]);
    expect(text).toContain(
      '#EXT-X-STREAM-INF:BANDWIDTH=40000,AVERAGE-BANDWIDTH=36000,CODECS="opus"\nlow.m3u8\n',
    );
    expect(text).toContain(
      '#EXT-X-STREAM-INF:BANDWIDTH=140000,CODECS="opus,mp4a.40.2"\nhigh.m3u8\n',
    );
  });

  test("refuses no variants, bad bandwidths and URIs that are not a line", () => {
    expect(() => renderMultivariantPlaylist([])).toThrow(RangeError);
    expect(() => renderMultivariantPlaylist([{ uri: "a.m3u8", bandwidth: 0 }])).toThrow(RangeError);
    expect(() => renderMultivariantPlaylist([{ uri: "a.m3u8", bandwidth: 1.5 }])).toThrow(
      RangeError,
    );
    expect(() =>
      renderMultivariantPlaylist([{ uri: "a.m3u8", bandwidth: 1, averageBandwidth: -1 }]),
    ).toThrow(RangeError);
    expect(() => renderMultivariantPlaylist([{ uri: "a\nb", bandwidth: 1 }])).toThrow(RangeError);
    expect(() => renderMultivariantPlaylist([{ uri: "#x", bandwidth: 1 }])).toThrow(RangeError);
  });
});
