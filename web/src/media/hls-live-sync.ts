import type { HlsConfig } from "hls.js";

/**
 * The hls.js settings that decide how far behind live the web player plays a live Space
 * (LL-HLS), as plain data: the player uses them, and so does the glass benchmark, which
 * measures what a listener hears.
 */
export function liveSyncSettings(): Partial<HlsConfig> {
  return {
    lowLatencyMode: true,
    backBufferLength: 30,
    maxLiveSyncPlaybackRate: 1.5,
    // After a stall hls.js moves its target latency back by this much, for good. Its default
    // (1 s) more than doubled the 0.75 s PART-HOLD-BACK of 0.25 s parts at the first stall; a
    // part's worth per stall still backs off from a network that keeps stalling.
    liveSyncOnStallIncrease: 0.25,
  };
}
