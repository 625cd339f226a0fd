import { describe, expect, test } from "vitest";
import {
  advancePartLimit,
  blockingReloadTimeout,
  decideBlockingReload,
  parseDeliveryDirectives,
} from "./blocking-reload.ts";
import { LivePlaylist } from "./live-playlist.ts";

/** A playlist with `parts` parts of 0.5 s: four to a 2 s segment. */
function withParts(parts: number, options = {}) {
  const playlist = new LivePlaylist(options);
  for (let i = 0; i < parts; i++) playlist.addPart({ duration: 0.5, independent: true });
  return playlist;
}

describe("parseDeliveryDirectives", () => {
  test("reads _HLS_msn and _HLS_part as decimal integers", () => {
    expect(parseDeliveryDirectives({})).toEqual({ ok: true, directives: {} });
    expect(parseDeliveryDirectives({ _HLS_msn: "12" })).toEqual({
      ok: true,
      directives: { msn: 12 },
    });
    expect(parseDeliveryDirectives({ _HLS_msn: "12", _HLS_part: "0" })).toEqual({
      ok: true,
      directives: { msn: 12, part: 0 },
    });
  });

  test("ignores _HLS_skip, which this server does not advertise (§6.2.5.1)", () => {
    expect(parseDeliveryDirectives({ _HLS_skip: "YES" })).toEqual({ ok: true, directives: {} });
  });

  test("refuses _HLS_part without _HLS_msn, and anything not a decimal integer", () => {
    for (const query of [
      { _HLS_part: "1" },
      { _HLS_msn: "-1" },
      { _HLS_msn: "1.5" },
      { _HLS_msn: "" },
      { _HLS_msn: "0x10" },
      { _HLS_msn: ["1", "2"] },
      { _HLS_msn: "1", _HLS_part: "a" },
      { _HLS_msn: "99999999999999999" },
    ]) {
      expect(parseDeliveryDirectives(query)).toMatchObject({ ok: false });
    }
  });
});

describe("decideBlockingReload (§6.2.5.2)", () => {
  // Segments 0 and 1 complete (four parts each), segment 2 has parts 0 and 1.
  const snapshot = withParts(10).snapshot();
  const decide = (msn?: number, part?: number) =>
    decideBlockingReload(snapshot, {
      ...(msn === undefined ? {} : { msn }),
      ...(part === undefined ? {} : { part }),
    }).action;

  test("no directive: answer now", () => {
    expect(decide()).toBe("respond");
  });

  test("_HLS_msn alone waits for that whole segment", () => {
    expect(decide(1)).toBe("respond");
    expect(decide(0)).toBe("respond");
    expect(decide(2)).toBe("wait"); // only two of its parts exist
    expect(decide(3)).toBe("wait");
  });

  test("_HLS_msn + _HLS_part waits for that part", () => {
    expect(decide(2, 1)).toBe("respond");
    expect(decide(2, 2)).toBe("wait");
    expect(decide(3, 0)).toBe("wait");
    expect(decide(1, 3)).toBe("respond");
  });

  test("a part past a complete segment's last is part 0 of the next segment", () => {
    expect(decide(1, 4)).toBe("respond"); // = part 0 of segment 2, which exists
    const atBoundary = withParts(8).snapshot(); // segments 0, 1 complete, nothing of 2
    expect(decideBlockingReload(atBoundary, { msn: 1, part: 4 }).action).toBe("wait");
    expect(decideBlockingReload(atBoundary, { msn: 1, part: 3 }).action).toBe("respond");
  });

  test("a segment that already left the window is answered at once", () => {
    const slid = withParts(4 * 12, { windowSegments: 3 }).snapshot();
    expect(slid.mediaSequence).toBeGreaterThan(2);
    expect(decideBlockingReload(slid, { msn: 0, part: 2 }).action).toBe("respond");
    expect(decideBlockingReload(slid, { msn: 1 }).action).toBe("respond");
  });

  test("more than two segments past the last one is a 400", () => {
    expect(decide(4)).toBe("wait"); // last segment with parts is 2; 2 + 2 = 4
    expect(decideBlockingReload(snapshot, { msn: 5 })).toMatchObject({
      action: "reject",
      status: 400,
    });
    expect(decide(5, 0)).toBe("reject");
  });

  test("a part beyond the Advance Part Limit is a 400", () => {
    expect(advancePartLimit(0.5)).toBe(6);
    expect(advancePartLimit(2)).toBe(3);
    expect(decide(2, 7)).toBe("wait"); // 6 parts past part 1
    expect(decide(2, 8)).toBe("reject");
    expect(decide(3, 5)).toBe("wait");
    expect(decide(3, 6)).toBe("reject");
  });

  test("an ended playlist ignores the directives", () => {
    const ended = withParts(6);
    ended.end();
    expect(decideBlockingReload(ended.snapshot(), { msn: 3, part: 0 }).action).toBe("respond");
    expect(decideBlockingReload(ended.snapshot(), { msn: 99 }).action).toBe("respond");
  });

  test("at the very start, the first part is worth waiting for", () => {
    const empty = new LivePlaylist().snapshot();
    expect(decideBlockingReload(empty, { msn: 0, part: 0 }).action).toBe("wait");
    expect(decideBlockingReload(empty, { msn: 0 }).action).toBe("wait");
    expect(decideBlockingReload(empty, { msn: 2 }).action).toBe("reject");
  });

  test("a blocked request gives up after three target durations", () => {
    expect(blockingReloadTimeout(snapshot)).toBe(6);
  });
});
