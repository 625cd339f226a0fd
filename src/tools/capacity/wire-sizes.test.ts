import { describe, expect, it } from "vitest";
import { computeWireSizes } from "./wire-sizes.ts";

describe("computeWireSizes", () => {
  it("a 0.5 s part at 32 kbps: 2,000 bytes of Opus plus the fMP4 boxes", () => {
    const sizes = computeWireSizes({
      mediaBitrate: 32_000,
      hlsPartSeconds: 0.5,
      hlsSegmentSeconds: 2,
    });
    // moof (mfhd, traf: tfhd, tfdt, trun with 25 x 8-byte entries, sbgp) + mdat header.
    expect(sizes.partBytes.value).toBe(2_324);
    expect(sizes.partBytes.source).toContain(
      "25 x 80-byte Opus frames = 2,000 B audio + 324 B fMP4",
    );
    // A real edge served 1,334-1,469 bytes for this playlist a few segments in (2026-12-02).
    expect(sizes.playlistBytes.value).toBeGreaterThan(1_300);
    expect(sizes.playlistBytes.value).toBeLessThan(1_700);
  });

  it("longer parts carry more audio per request and shorter playlists", () => {
    const half = computeWireSizes({
      mediaBitrate: 32_000,
      hlsPartSeconds: 0.5,
      hlsSegmentSeconds: 2,
    });
    const one = computeWireSizes({ mediaBitrate: 32_000, hlsPartSeconds: 1, hlsSegmentSeconds: 2 });
    expect(one.partBytes.source).toContain("50 x 80-byte Opus frames = 4,000 B audio");
    expect(one.playlistBytes.value).toBeLessThan(half.playlistBytes.value);
  });
});
