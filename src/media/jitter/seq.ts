/** RTP sequence-number (16-bit) and timestamp (32-bit) arithmetic, safe across wraparound. */

/** Signed distance `a - b` in 16-bit sequence space, in [-32768, 32767]. */
export function seqDiff(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

/** `seq + n` modulo 2^16. */
export function seqAdd(seq: number, n: number): number {
  return (seq + n) & 0xffff;
}

/** Signed distance `a - b` between 32-bit RTP timestamps. */
export function timestampDiff(a: number, b: number): number {
  return (a - b) | 0;
}
