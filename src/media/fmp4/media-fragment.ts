/**
 * One CMAF chunk (ISO/IEC 23000-19 §7.3.2.3): a `moof` + `mdat` pair holding a run of Opus
 * packets. An LL-HLS Partial Segment is one such chunk and a Media Segment the chunks of its
 * parts laid end to end (RFC 8216bis §3.2: a Parent Segment and its parts hold the same samples).
 */
import { box, fullBox } from "./box.ts";
import { i32, u32, u64 } from "./bytes.ts";
import { rollSampleToGroup } from "./opus.ts";

export interface FragmentSample {
  /** One Opus packet (Opus-ISOBMFF §4.3.3: an Opus sample is exactly one packet). */
  readonly data: Uint8Array;
  /** Its duration in media timescale ticks (960 for 20 ms at 48 kHz). */
  readonly duration: number;
}

export interface MediaFragmentOptions {
  /** mfhd sequence_number (ISO/IEC 14496-12 §8.8.5): increases with every fragment. */
  readonly sequenceNumber: number;
  /** tfdt baseMediaDecodeTime (§8.8.12): decode time of the first sample, in ticks. */
  readonly baseMediaDecodeTime: number;
  readonly samples: readonly FragmentSample[];
  /** Must match the init segment's track; 1 by default. */
  readonly trackId?: number;
}

/** tfhd flag default-base-is-moof (§8.8.7.1), which CMAF requires (ISO/IEC 23000-19 §7.5.16). */
const DEFAULT_BASE_IS_MOOF = 0x020000;
/** trun flags (§8.8.8.1): data-offset-present | sample-duration-present | sample-size-present. */
const TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200;

/**
 * Builds `moof` (mfhd, traf with tfhd, tfdt version 1, trun, sbgp) + `mdat` for the samples.
 * The trun data_offset counts from the first byte of the moof (default-base-is-moof) to the
 * first sample byte in the mdat that follows it.
 */
export function mediaFragment(options: MediaFragmentOptions): Uint8Array {
  const { samples, sequenceNumber, baseMediaDecodeTime } = options;
  const trackId = options.trackId ?? 1;
  if (samples.length === 0) throw new RangeError("a fragment holds at least one sample");
  for (const sample of samples) {
    if (!Number.isInteger(sample.duration) || sample.duration <= 0) {
      throw new RangeError(`a sample duration is a positive integer, got ${sample.duration}`);
    }
  }
  const moofWith = (dataOffset: number): Uint8Array =>
    box(
      "moof",
      fullBox("mfhd", 0, 0, u32(sequenceNumber)),
      box(
        "traf",
        fullBox("tfhd", 0, DEFAULT_BASE_IS_MOOF, u32(trackId)),
        fullBox("tfdt", 1, 0, u64(baseMediaDecodeTime)),
        trun(samples, dataOffset),
        // Opus-ISOBMFF §4.3.6.2: every track fragment maps its samples to the roll group.
        rollSampleToGroup(samples.length),
      ),
    );
  // The moof's size does not depend on the offset's value, so one trial build measures it.
  const moofSize = moofWith(0).byteLength;
  const moof = moofWith(moofSize + 8);
  const mdat = box("mdat", ...samples.map((sample) => sample.data));
  const out = new Uint8Array(moof.byteLength + mdat.byteLength);
  out.set(moof);
  out.set(mdat, moof.byteLength);
  return out;
}

function trun(samples: readonly FragmentSample[], dataOffset: number): Uint8Array {
  const fields = [u32(samples.length), i32(dataOffset)];
  for (const sample of samples) fields.push(u32(sample.duration), u32(sample.data.byteLength));
  return fullBox("trun", 0, TRUN_FLAGS, ...fields);
}

/** The total duration of the samples in ticks: the next fragment's baseMediaDecodeTime. */
export function fragmentDuration(samples: readonly FragmentSample[]): number {
  let total = 0;
  for (const sample of samples) total += sample.duration;
  return total;
}
