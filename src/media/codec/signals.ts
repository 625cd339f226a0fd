/**
 * Test-signal and analysis helpers shared by the media tests and measurements: sine frames and a
 * Goertzel single-bin detector.
 */
import { SAMPLE_RATE } from "./frame-codec.ts";

/** `length` samples of a sine at `frequency` Hz, starting at sample index `offset`. */
export function sine(
  frequency: number,
  amplitude: number,
  length: number,
  offset = 0,
  sampleRate = SAMPLE_RATE,
): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Math.round(
      amplitude * Math.sin((2 * Math.PI * frequency * (offset + i)) / sampleRate),
    );
  }
  return out;
}

/**
 * Amplitude of the `frequency` component of `samples` (Goertzel algorithm), in sample units:
 * a pure sine of amplitude A gives about A when the window spans whole periods.
 */
export function toneAmplitude(
  samples: ArrayLike<number>,
  frequency: number,
  sampleRate = SAMPLE_RATE,
): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / n;
}

/** Concatenates frames into one signal. */
export function concat(frames: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((sum, f) => sum + f.length, 0));
  let at = 0;
  for (const frame of frames) {
    out.set(frame, at);
    at += frame.length;
  }
  return out;
}
