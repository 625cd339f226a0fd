import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { sine, toneAmplitude } from "../codec/signals.ts";
import { Limiter } from "./limiter.ts";

const scaled = (pcm: Int16Array, gain: number) => Float32Array.from(pcm, (v) => v * gain);

describe("Limiter", () => {
  test("a signal within range passes bit-exact", () => {
    const input = Float32Array.from(sine(440, 32767, 9600));
    expect([...new Limiter().process(input)]).toEqual([...input]);
  });

  test("any input, however loud, comes out within the ceiling with its sign kept", () => {
    const sample = fc.oneof(
      fc.integer({ min: -13 * 32768, max: 13 * 32767 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(sample, { maxLength: 960 }), { maxLength: 5 }), (frames) => {
        const limiter = new Limiter();
        for (const frame of frames) {
          const out = limiter.process(frame);
          frame.forEach((x, i) => {
            const y = out[i] ?? 0;
            expect(Math.abs(y)).toBeLessThanOrEqual(32767);
            expect(Math.abs(y)).toBeLessThanOrEqual(Math.abs(x) + 0.5);
            if (y !== 0) expect(Math.sign(y)).toBe(Math.sign(x));
          });
        }
      }),
    );
  });

  test("a moderate over is turned down, not clipped: no added harmonics", () => {
    const input = scaled(sine(440, 32767, 48_000), 1.5);
    const out = new Limiter().process(input).subarray(4800);
    expect(Math.max(...out)).toBeLessThanOrEqual(32767);
    expect(Math.max(...out)).toBeGreaterThan(32000);
    const fundamental = toneAmplitude(out, 440);
    const third = toneAmplitude(out, 1320);
    expect(20 * Math.log10(third / fundamental)).toBeLessThan(-50);
    // The same over hard-clipped, for scale.
    const clipped = input.subarray(4800).map((v) => Math.max(-32767, Math.min(32767, v)));
    expect(
      20 * Math.log10(toneAmplitude(clipped, 1320) / toneAmplitude(clipped, 440)),
    ).toBeGreaterThan(-25);
  });

  test("the gain recovers after a loud burst", () => {
    const limiter = new Limiter();
    limiter.process(scaled(sine(440, 32767, 4800), 4));
    expect(limiter.gain).toBeCloseTo(0.25, 2);
    const quiet = Float32Array.from(sine(440, 8000, 48_000));
    const out = limiter.process(quiet);
    expect(limiter.gain).toBe(1);
    expect([...out.subarray(-960)]).toEqual([...quiet.subarray(-960)]);
  });

  test("non-finite samples become silence", () => {
    const out = new Limiter().process([Number.NaN, Number.POSITIVE_INFINITY, 1000]);
    expect([...out]).toEqual([0, 0, 1000]);
  });
});
