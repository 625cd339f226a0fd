/** Audio codecs for the media plane: the frame codec seam and its Opus implementation. */
export {
  type AudioFrameDecoder,
  type AudioFrameDecoderSource,
  type AudioFrameEncoder,
  FRAME_MS,
  FRAME_SAMPLES,
  SAMPLE_RATE,
} from "./frame-codec.ts";
export {
  createOpusDecoder,
  createOpusEncoder,
  DEFAULT_PROGRAM_BITRATE,
  type OpusDecoderOptions,
  type OpusDecoderStats,
  type OpusEncoderOptions,
  plcToc,
} from "./opus-codec.ts";
export { OpusDecoderPool } from "./opus-decoder-pool.ts";
