import { describe, expect, test } from "vitest";
import { sine } from "../codec/signals.ts";
import { rmsDbfs, SILENCE_DBFS, SpeakingDetector } from "./audio-level.ts";

const frameAt = (dbfs: number) => sine(440, 32768 * Math.SQRT2 * 10 ** (dbfs / 20), 960);

describe("rmsDbfs", () => {
  test("full-scale square is 0 dBFS, sines are 3 dB below their peak, silence is the floor", () => {
    expect(rmsDbfs(new Int16Array(960).fill(-32768))).toBeCloseTo(0, 5);
    expect(rmsDbfs(sine(1000, 32767, 960))).toBeCloseTo(-3.01, 1);
    expect(rmsDbfs(sine(1000, 16384, 960))).toBeCloseTo(-9.03, 1);
    expect(rmsDbfs(new Int16Array(960))).toBe(SILENCE_DBFS);
    expect(rmsDbfs(new Int16Array(0))).toBe(SILENCE_DBFS);
    expect(rmsDbfs(Int16Array.of(1))).toBeGreaterThan(SILENCE_DBFS);
  });
});

describe("SpeakingDetector", () => {
  test("speech lights up within two frames and stays on through short pauses", () => {
    const detector = new SpeakingDetector();
    expect(detector.update(rmsDbfs(frameAt(-20)), 0)).toBe(false);
    expect(detector.update(rmsDbfs(frameAt(-20)), 20)).toBe(true);
    let t = 40;
    for (; t < 200; t += 20) expect(detector.update(SILENCE_DBFS, t)).toBe(true);
    for (; t < 1000; t += 20) detector.update(SILENCE_DBFS, t);
    expect(detector.speaking).toBe(false);
  });

  test("a single click does not light it up; background noise keeps it off", () => {
    const detector = new SpeakingDetector();
    expect(detector.update(0, 0)).toBe(false);
    for (let t = 20; t < 2000; t += 20) expect(detector.update(-60, t)).toBe(false);
  });

  test("hysteresis: a level between the thresholds keeps the current state", () => {
    const on = new SpeakingDetector({ onDbfs: -40, offDbfs: -60 });
    for (let t = 0; t < 100; t += 20) on.update(-20, t);
    expect(on.speaking).toBe(true);
    for (let t = 100; t < 3000; t += 20) expect(on.update(-50, t)).toBe(true);
    const off = new SpeakingDetector({ onDbfs: -40, offDbfs: -60 });
    for (let t = 0; t < 3000; t += 20) expect(off.update(-50, t)).toBe(false);
  });

  test("non-finite levels count as silence", () => {
    const detector = new SpeakingDetector();
    expect(detector.update(Number.NaN, 0)).toBe(false);
    expect(detector.update(Number.NEGATIVE_INFINITY, 20)).toBe(false);
    expect(detector.smoothedDbfs).toBe(SILENCE_DBFS);
  });
});
