import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from "hdr-histogram-js";

/**
 * HdrHistogram helpers. Durations are recorded in microseconds (loopback answers take well
 * under a millisecond) and reported in milliseconds. Workers record into plain 32-bit
 * histograms ("fast": every request records, and packed ones cost several times more per
 * value); the parent keeps its many per-second histograms "packed" (small when sparse).
 */
export function newHistogram(
  significantDigits: 2 | 3 = 3,
  layout: "fast" | "packed" = "packed",
): Histogram {
  return build({
    numberOfSignificantValueDigits: significantDigits,
    bitBucketSize: layout === "fast" ? 32 : "packed",
  });
}

export const msToMicros = (ms: number): number => Math.max(0, Math.round(ms * 1000));

export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return decodeFromCompressedBase64(encoded, "packed");
}

/** Adds an encoded histogram (from another process) into `into`. */
export function mergeEncoded(into: Histogram, encoded: string): void {
  into.add(decodeHistogram(encoded));
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Percentiles of a histogram, divided by `scale` (1000 turns microseconds into ms), one decimal. */
export function percentilesOf(histogram: Histogram, scale = 1000): Percentiles {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const at = (p: number) => round1(histogram.getValueAtPercentile(p) / scale);
  return {
    count,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: round1(histogram.maxValue / scale),
    mean: round1(histogram.mean / scale),
  };
}
