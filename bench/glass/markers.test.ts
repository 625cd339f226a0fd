import { describe, expect, it } from "vitest";
import {
  identifyMarker,
  MARKER_HZ,
  markerAt,
  markerHz,
  matchBeeps,
  unambiguousMs,
} from "./markers.ts";

const schedule = { everyFrames: 125, beepFrames: 10 };
const binHz = 48_000 / 2048;

/** A spectrum like an AnalyserNode's: a noise floor, and a peak (with leakage) per tone. */
function spectrum(tones: { hz: number; db: number }[], floorDb = -110): Float32Array {
  const out = new Float32Array(1024).fill(floorDb);
  for (const { hz, db } of tones) {
    const bin = Math.round(hz / binHz);
    out[bin] = Math.max(out[bin] ?? floorDb, db);
    out[bin - 1] = Math.max(out[bin - 1] ?? floorDb, db - 12);
    out[bin + 1] = Math.max(out[bin + 1] ?? floorDb, db - 12);
  }
  return out;
}

describe("glass markers", () => {
  it("gives consecutive beeps different tones, silence between them", () => {
    expect(markerAt(schedule, 0)).toEqual({ hz: 0, beep: -1 });
    expect(markerAt(schedule, 124)).toEqual({ hz: 0, beep: -1 });
    expect(markerAt(schedule, 125)).toEqual({ hz: MARKER_HZ[0], beep: 0 });
    expect(markerAt(schedule, 134)).toEqual({ hz: MARKER_HZ[0], beep: 0 });
    expect(markerAt(schedule, 135)).toEqual({ hz: 0, beep: -1 });
    expect(markerAt(schedule, 250)).toEqual({ hz: MARKER_HZ[1], beep: 1 });
    const tones = Array.from({ length: MARKER_HZ.length }, (_, k) => markerHz(k));
    expect(new Set(tones).size).toBe(MARKER_HZ.length);
    expect(unambiguousMs(schedule)).toBe(20_000);
  });

  it("identifies each marker tone from its spectrum", () => {
    for (const hz of MARKER_HZ) {
      expect(identifyMarker(spectrum([{ hz, db: -30 }]), binHz)).toBe(hz);
    }
  });

  it("refuses a spectrum with no clear marker (silence, two tones alike)", () => {
    expect(identifyMarker(spectrum([]), binHz)).toBeNull();
    const two = spectrum([
      { hz: 800, db: -30 },
      { hz: 1400, db: -33 },
    ]);
    expect(identifyMarker(two, binHz)).toBeNull();
    expect(identifyMarker(new Float32Array(1024).fill(Number.NEGATIVE_INFINITY), binHz)).toBeNull();
  });

  it("reports a 2.6 s latency as 2.6 s, not as 0.1 s after the next beep", () => {
    const sent = [0, 1, 2, 3].map((beep) => ({ beep, at: 10_000 + beep * 2_500 }));
    // Beep 0 heard 2.6 s later, i.e. 0.1 s after beep 1 was sent.
    const heard = [
      { at: 12_600, hz: markerHz(0) },
      { at: 15_100, hz: markerHz(1) },
    ];
    expect(matchBeeps(heard, sent, 15_000)).toEqual({
      latencies: [
        { beep: 0, ms: 2_600 },
        { beep: 1, ms: 2_600 },
      ],
      unidentified: 0,
      unmatched: 0,
    });
  });

  it("counts untold tones and beeps heard too late apart instead of guessing", () => {
    const sent = [{ beep: 0, at: 1_000 }];
    const heard = [
      { at: 1_500, hz: null },
      { at: 30_000, hz: markerHz(0) },
      { at: 2_000, hz: markerHz(3) },
      { at: 500, hz: markerHz(0) },
    ];
    expect(matchBeeps(heard, sent, 15_000)).toEqual({
      latencies: [],
      unidentified: 1,
      unmatched: 3,
    });
  });

  it("matches the latest beep of the same tone once the tones come round again", () => {
    const n = MARKER_HZ.length;
    const sent = Array.from({ length: n + 1 }, (_, beep) => ({ beep, at: beep * 2_500 }));
    const heard = [{ at: n * 2_500 + 900, hz: markerHz(0) }];
    expect(matchBeeps(heard, sent, 15_000).latencies).toEqual([{ beep: n, ms: 900 }]);
  });
});
