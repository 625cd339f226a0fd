/** CMAF fragmented MP4 for one Opus track, written by hand: pure functions, bytes in, bytes out. */
export { box, fullBox } from "./box.ts";
export {
  INIT_BRANDS,
  type InitSegmentOptions,
  initSegment,
  OPUS_SAMPLE_FLAGS,
} from "./init-segment.ts";
export {
  type FragmentSample,
  fragmentDuration,
  type MediaFragmentOptions,
  mediaFragment,
} from "./media-fragment.ts";
export {
  dOpsBox,
  isIndependent,
  OPUS_DECODE_RATE,
  type OpusChannelMapping,
  type OpusConfig,
  opusPacketSamples,
  opusSampleEntry,
  rollDistance,
} from "./opus.ts";
