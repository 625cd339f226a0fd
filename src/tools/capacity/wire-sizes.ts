/**
 * The bytes one LL-HLS listener downloads per part, computed with the code the origin runs
 * (HlsPackager: fMP4 parts; renderMediaPlaylist: the live playlist), so the container and
 * playlist overhead in the capacity model cannot drift from what is actually served.
 */
import { renderMediaPlaylist } from "../../media/llhls/index.ts";
import { HlsPackager } from "../../media/packager/hls-packager.ts";
import type { WireSizes } from "./capacity-figures.ts";
import { formatNumber } from "./number-format.ts";

const FRAME_SECONDS = 0.02;
const FRAME_SAMPLES = 960;
/**
 * Where the stream is when sizes are taken: an hour in at 2 s segments, so media sequence
 * numbers in URIs have their typical width, not the single digits of a fresh Space.
 */
const MEDIA_SEQUENCE_AFTER_AN_HOUR = 1_800;
/** Long enough for the live window (6 segments) to fill and slide. */
const SIMULATED_SECONDS = 30;

export interface WireSizeSettings {
  mediaBitrate: number;
  hlsPartSeconds: number;
  hlsSegmentSeconds: number;
}

/**
 * Packages `SIMULATED_SECONDS` of constant-size Opus frames (a talking room at the program
 * bitrate) and measures the last part and the playlist a blocking reload returns after each
 * part of the last segment (its size changes as the open segment fills; the mean is used).
 */
export function computeWireSizes(settings: WireSizeSettings): WireSizes {
  const frameBytes = Math.round((settings.mediaBitrate * FRAME_SECONDS) / 8);
  const packager = new HlsPackager({
    partTarget: settings.hlsPartSeconds,
    segmentTarget: settings.hlsSegmentSeconds,
    resumeFrom: { mediaSequence: MEDIA_SEQUENCE_AFTER_AN_HOUR, decodeTime: 0 },
  });
  const frame = { data: new Uint8Array(frameBytes), durationSamples: FRAME_SAMPLES };
  const frames = Math.round(SIMULATED_SECONDS / FRAME_SECONDS);
  const startMs = Date.UTC(2024, 7, 12, 0, 0, 0);
  let cycle: number[] = [];
  let lastCycle: number[] = [];
  let lastPart: Uint8Array | undefined;
  let framesPerPart = 0;
  for (let n = 0; n < frames; n++) {
    const part = packager.push(frame, startMs + n * FRAME_SECONDS * 1000);
    if (!part) continue;
    lastPart = part.bytes;
    framesPerPart = Math.round(part.durationSeconds / FRAME_SECONDS);
    cycle.push(Buffer.byteLength(renderMediaPlaylist(packager.snapshot())));
    if (part.closed) {
      lastCycle = cycle;
      cycle = [];
    }
  }
  if (!lastPart || lastCycle.length === 0) throw new Error("the packager closed no segment");
  const audioBytes = framesPerPart * frameBytes;
  const playlistBytes = Math.round(
    lastCycle.reduce((sum, size) => sum + size, 0) / lastCycle.length,
  );
  return {
    partBytes: {
      value: lastPart.byteLength,
      source:
        `computed: src/media/packager, ${framesPerPart} x ${frameBytes}-byte Opus frames = ` +
        `${formatNumber(audioBytes)} B audio + ${formatNumber(lastPart.byteLength - audioBytes)} B fMP4 (moof + mdat)`,
    },
    playlistBytes: {
      value: playlistBytes,
      source:
        "computed: live playlist rendered by src/media/llhls an hour into a Space, " +
        "mean over a segment's parts (no compression, no delta updates)",
    },
  };
}
