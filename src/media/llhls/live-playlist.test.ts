import { describe, expect, test } from "vitest";
import { LivePlaylist } from "./live-playlist.ts";

const T0 = Date.UTC(2025, 0, 1);

/** Adds `count` parts of `duration` seconds, each started `duration` after the last. */
function feed(playlist: LivePlaylist, count: number, duration = 0.5, from = T0) {
  return Array.from({ length: count }, (_, i) =>
    playlist.addPart({ duration, independent: true, startedAt: from + i * duration * 1000 }),
  );
}

describe("LivePlaylist segments", () => {
  test("defaults: 2 s segments of four 0.5 s parts, TARGETDURATION 2", () => {
    const playlist = new LivePlaylist();
    const results = feed(playlist, 4);
    expect(playlist.targetDuration).toBe(2);
    expect(results.map((r) => r.part.uri)).toEqual([
      "part-0-0.m4s",
      "part-0-1.m4s",
      "part-0-2.m4s",
      "part-0-3.m4s",
    ]);
    expect(results.slice(0, 3).every((r) => r.closed === undefined)).toBe(true);
    expect(results[3]!.closed).toMatchObject({ msn: 0, uri: "seg-0.m4s", duration: 2 });
    expect(playlist.snapshot().open).toMatchObject({ msn: 1, parts: [] });
  });

  test("parts of 20 ms frames add up to the target despite float sums", () => {
    const playlist = new LivePlaylist();
    const frames = 25 * 0.02; // 0.5000000000000001 or so
    const results = feed(playlist, 4, frames);
    expect(results[3]!.closed?.parts).toHaveLength(4);
  });

  test("a segment closes early rather than round above TARGETDURATION", () => {
    const playlist = new LivePlaylist({ segmentTarget: 2, partTarget: 1 });
    const results = feed(playlist, 3, 0.8);
    // 1.6 s + one more 1 s part could reach 2.6 s, which rounds to 3 > 2: close at 1.6 s.
    expect(results[1]!.closed?.duration).toBeCloseTo(1.6);
  });

  test("a part longer than PART-TARGET is refused (§4.4.4.9)", () => {
    const playlist = new LivePlaylist();
    expect(() => playlist.addPart({ duration: 0.51, independent: true })).toThrow(RangeError);
    expect(() => playlist.addPart({ duration: 0, independent: true })).toThrow(RangeError);
  });

  test("options are checked", () => {
    expect(() => new LivePlaylist({ partTarget: 3, segmentTarget: 2 })).toThrow(RangeError);
    expect(() => new LivePlaylist({ partHoldBack: 0.9 })).toThrow(RangeError);
    expect(() => new LivePlaylist({ windowSegments: 0 })).toThrow(RangeError);
    expect(() => new LivePlaylist({ windowSegments: 2.5 })).toThrow(RangeError);
    expect(new LivePlaylist({ segmentTarget: 1.5 }).targetDuration).toBe(2);
    expect(new LivePlaylist({ segmentTarget: 4, partTarget: 1 }).snapshot().partHoldBack).toBe(3);
  });
});

describe("LivePlaylist window", () => {
  test("keeps the last N segments and advances the media sequence", () => {
    const playlist = new LivePlaylist({ windowSegments: 3 });
    const results = feed(playlist, 4 * 5);
    const snapshot = playlist.snapshot();
    expect(snapshot.segments.map((s) => s.msn)).toEqual([2, 3, 4]);
    expect(snapshot.mediaSequence).toBe(2);
    expect(results.flatMap((r) => r.removed.map((s) => s.msn))).toEqual([0, 1]);
  });

  test("never shrinks below three target durations (§6.2.2)", () => {
    const playlist = new LivePlaylist({ windowSegments: 1 });
    feed(playlist, 4 * 6);
    const { segments } = playlist.snapshot();
    expect(segments.reduce((s, seg) => s + seg.duration, 0)).toBeGreaterThanOrEqual(6);
    expect(segments).toHaveLength(3);
  });

  test("a recording keeps everything with an infinite window", () => {
    const playlist = new LivePlaylist({ windowSegments: Infinity });
    feed(playlist, 4 * 50);
    expect(playlist.snapshot().segments).toHaveLength(50);
    expect(playlist.snapshot().mediaSequence).toBe(0);
  });

  test("the first media sequence number can be chosen", () => {
    const playlist = new LivePlaylist({ firstMediaSequence: 100 });
    expect(feed(playlist, 4)[3]!.closed?.uri).toBe("seg-100.m4s");
  });
});

describe("LivePlaylist times, hints and end", () => {
  test("a segment's date is its first part's start; later ones follow from durations", () => {
    const playlist = new LivePlaylist();
    feed(playlist, 4);
    playlist.addPart({ duration: 0.5, independent: true });
    const { segments, open } = playlist.snapshot();
    expect(segments[0]!.programDateTime).toBe(T0);
    expect(open.programDateTime).toBe(T0 + 2000);
    const undated = new LivePlaylist();
    undated.addPart({ duration: 0.5, independent: true });
    expect(undated.snapshot().open.programDateTime).toBeUndefined();
  });

  test("the next part is named before it exists, across a segment boundary too", () => {
    const playlist = new LivePlaylist();
    expect(playlist.nextPart()).toEqual({ msn: 0, index: 0, uri: "part-0-0.m4s" });
    feed(playlist, 3);
    expect(playlist.nextPart()?.uri).toBe("part-0-3.m4s");
    const hinted = playlist.nextPart()!.uri;
    expect(playlist.addPart({ duration: 0.5, independent: true }).part.uri).toBe(hinted);
    expect(playlist.nextPart()?.uri).toBe("part-1-0.m4s");
  });

  test("end closes the open segment, then refuses parts", () => {
    const playlist = new LivePlaylist();
    feed(playlist, 6);
    expect(playlist.end()).toMatchObject({ msn: 1, duration: 1 });
    expect(playlist.end()).toBeUndefined();
    const snapshot = playlist.snapshot();
    expect(snapshot.ended).toBe(true);
    expect(snapshot.nextPart).toBeUndefined();
    expect(() => playlist.addPart({ duration: 0.5, independent: true })).toThrow();
  });

  test("end with no open parts closes nothing", () => {
    const playlist = new LivePlaylist();
    feed(playlist, 4);
    expect(playlist.end()).toBeUndefined();
    expect(playlist.snapshot().segments).toHaveLength(1);
  });
});

describe("LivePlaylist discontinuities", () => {
  test("a resumed playlist marks its first segment and counts it once it slides out", () => {
    const playlist = new LivePlaylist({
      firstMediaSequence: 40,
      resumesAfterDiscontinuity: 3,
      windowSegments: 2,
    });
    feed(playlist, 4);
    expect(playlist.snapshot()).toMatchObject({
      mediaSequence: 40,
      discontinuitySequence: 3,
      segments: [{ msn: 40, discontinuity: true }],
    });
    expect(playlist.currentDiscontinuity()).toBe(4);
    feed(playlist, 16, 0.5, T0 + 2_000);
    const later = playlist.snapshot();
    expect(later.segments.some((s) => s.discontinuity)).toBe(false);
    expect(later.discontinuitySequence).toBe(4);
    expect(playlist.currentDiscontinuity()).toBe(4);
  });

  test("a fresh playlist has no discontinuity", () => {
    const playlist = new LivePlaylist();
    feed(playlist, 8);
    expect(playlist.snapshot().discontinuitySequence).toBe(0);
    expect(playlist.snapshot().segments.some((s) => s.discontinuity)).toBe(false);
  });
});
