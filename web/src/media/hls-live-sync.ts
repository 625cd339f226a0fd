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
  };
}
