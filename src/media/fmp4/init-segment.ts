/**
 * The CMAF header (ISO/IEC 23000-19 §7.3.1) of a single Opus track: `ftyp` + `moov` with an
 * empty sample table and `mvex`, so that every sample arrives in movie fragments. HLS names
 * it in EXT-X-MAP (RFC 8216bis §4.4.4.5, §3.1.2: fMP4 segments need a Media Initialization
 * Section).
 */
import { box, fullBox } from "./box.ts";
import { cString, fourcc, i16, i32, u16, u32, zeros } from "./bytes.ts";
import {
  OPUS_DECODE_RATE,
  type OpusConfig,
  opusSampleEntry,
  rollDistance,
  rollGroupDescription,
  rollSampleToGroup,
} from "./opus.ts";

export interface InitSegmentOptions extends OpusConfig {
  /** The track_ID the fragments will name (ISO/IEC 14496-12 §8.3.2); at least 1. */
  readonly trackId: number;
  /** Media timescale in ticks per second; 48000 as Opus-ISOBMFF §4.4 recommends. */
  readonly timescale?: number;
  /** Samples (at 48 kHz) in one Opus packet, for the pre-roll group; 960 = 20 ms. */
  readonly frameSamples?: number;
}

/**
 * Brands: 'iso6' (major; covers tfdt and roll groups, which Opus-ISOBMFF §4.3.6.2 requires),
 * 'cmfc' (CMAF, ISO/IEC 23000-19 §7.2) and 'Opus' (Opus-ISOBMFF §4.1).
 */
export const INIT_BRANDS = ["iso6", "cmfc", "Opus"] as const;

/** Every sample of an Opus track is a sync sample (Opus-ISOBMFF §4.3.6.1): depends_on = 2. */
export const OPUS_SAMPLE_FLAGS = 0x0200_0000;

/** The unity matrix of mvhd/tkhd (ISO/IEC 14496-12 §8.2.2). */
const UNITY_MATRIX = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000].map(u32);

/** Builds the initialization segment for one Opus track. */
export function initSegment(options: InitSegmentOptions): Uint8Array {
  const timescale = options.timescale ?? OPUS_DECODE_RATE;
  if (!Number.isInteger(options.trackId) || options.trackId < 1) {
    throw new RangeError(`trackId must be a positive integer, got ${options.trackId}`);
  }
  const ftyp = box("ftyp", fourcc(INIT_BRANDS[0]), u32(0), ...INIT_BRANDS.map(fourcc));
  const moov = box(
    "moov",
    mvhd(timescale, options.trackId + 1),
    box("trak", tkhd(options.trackId), edts(options.preSkip, timescale), mdia(options, timescale)),
    box("mvex", trex(options.trackId)),
  );
  const out = new Uint8Array(ftyp.byteLength + moov.byteLength);
  out.set(ftyp);
  out.set(moov, ftyp.byteLength);
  return out;
}

/** Movie header (§8.2.2): no duration yet (fragments follow), unity rate and volume. */
function mvhd(timescale: number, nextTrackId: number): Uint8Array {
  return fullBox(
    "mvhd",
    0,
    0,
    zeros(8), // creation_time, modification_time
    u32(timescale),
    u32(0), // duration: unknown for a live presentation
    u32(0x0001_0000), // rate 1.0
    u16(0x0100), // volume 1.0
    zeros(10), // reserved
    ...UNITY_MATRIX,
    zeros(24), // pre_defined
    u32(nextTrackId),
  );
}

/** Track header (§8.3.2): flags track_enabled | track_in_movie, audio volume 1.0. */
function tkhd(trackId: number): Uint8Array {
  return fullBox(
    "tkhd",
    0,
    0x000003,
    zeros(8), // creation_time, modification_time
    u32(trackId),
    zeros(4), // reserved
    u32(0), // duration
    zeros(8), // reserved
    u16(0), // layer
    u16(0), // alternate_group
    u16(0x0100), // volume
    zeros(2), // reserved
    ...UNITY_MATRIX,
    u32(0), // width
    u32(0), // height
  );
}

/**
 * Edit list (§8.6.6) trimming the priming samples: Opus-ISOBMFF §4.4 requires edts/elst with
 * media_time = pre-skip; segment_duration 0 is the implicit "to the end" that a live,
 * fragmented track needs since its length is unknown.
 */
function edts(preSkip: number, timescale: number): Uint8Array {
  const mediaTime = Math.round((preSkip * timescale) / OPUS_DECODE_RATE);
  const entry = [u32(0), i32(mediaTime), i16(1), i16(0)];
  return box("edts", fullBox("elst", 0, 0, u32(1), ...entry));
}

function mdia(options: InitSegmentOptions, timescale: number): Uint8Array {
  const mdhd = fullBox(
    "mdhd",
    0,
    0,
    zeros(8), // creation_time, modification_time
    u32(timescale),
    u32(0), // duration
    u16(0x55c4), // language 'und', packed ISO 639-2/T (§8.4.2.3)
    u16(0), // pre_defined
  );
  const hdlr = fullBox("hdlr", 0, 0, u32(0), fourcc("soun"), zeros(12), cString("SoundHandler"));
  return box("mdia", mdhd, hdlr, minf(options));
}

/** Media information: smhd (§12.2.2), a self-contained data reference (§8.7.2), stbl. */
function minf(options: InitSegmentOptions): Uint8Array {
  const smhd = fullBox("smhd", 0, 0, i16(0), zeros(2));
  const dref = fullBox("dref", 0, 0, u32(1), fullBox("url ", 0, 0x000001));
  const stbl = box(
    "stbl",
    fullBox("stsd", 0, 0, u32(1), opusSampleEntry(options)),
    fullBox("stts", 0, 0, u32(0)),
    fullBox("stsc", 0, 0, u32(0)),
    fullBox("stsz", 0, 0, u32(0), u32(0)),
    fullBox("stco", 0, 0, u32(0)),
    rollGroupDescription(rollDistance(options.frameSamples ?? 960)),
    rollSampleToGroup(0),
  );
  return box("minf", smhd, box("dinf", dref), stbl);
}

/** Track extends (§8.8.3): sample description 1, and every sample a sync sample by default. */
function trex(trackId: number): Uint8Array {
  return fullBox("trex", 0, 0, u32(trackId), u32(1), u32(0), u32(0), u32(OPUS_SAMPLE_FLAGS));
}
