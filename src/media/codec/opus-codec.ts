/**
 * Thin wrappers over `@discordjs/opus` (bundled libopus 1.3.1) for 48 kHz mono frames.
 *
 * The binding only exposes `opus_decode(…, frame_size = 5760, decode_fec = 0)`, so:
 * - in-band FEC cannot be decoded;
 * - decoding an empty buffer conceals 120 ms at once, which leaves the decoder deep in its fade
 *   and makes the next real packet ramp in slowly. Instead `conceal()` decodes a one-byte packet
 *   holding only a TOC with the last mode/bandwidth and a 20 ms duration: libopus then conceals
 *   exactly what the TOC says (`opus_decode_frame`, "don't conceal more than what the ToC says").
 */
import opus from "@discordjs/opus";
import {
  type AudioFrameDecoder,
  type AudioFrameEncoder,
  FRAME_MS,
  SAMPLE_RATE,
} from "./frame-codec.ts";

/** `OPUS_SET_COMPLEXITY_REQUEST` from opus_defines.h. */
const OPUS_SET_COMPLEXITY = 4010;
/** `OPUS_RESET_STATE` from opus_defines.h; the binding passes a (ignored) value after it. */
const OPUS_RESET_STATE = 4028;

export interface OpusEncoderOptions {
  /** Target bitrate in bit/s; 32 kbps suits a mono speech program. */
  readonly bitrate?: number;
  /** Frame duration; the mixer ticks every 20 ms. */
  readonly frameMs?: 10 | 20 | 40 | 60;
  /** 0 (cheapest) to 10 (libopus default, best). */
  readonly complexity?: number;
}

export const DEFAULT_PROGRAM_BITRATE = 32_000;

/** A mono 48 kHz Opus encoder; throws RangeError on a frame of the wrong length. */
export function createOpusEncoder(options: OpusEncoderOptions = {}): AudioFrameEncoder {
  const frameSamples = ((options.frameMs ?? FRAME_MS) * SAMPLE_RATE) / 1000;
  const native = new opus.OpusEncoder(SAMPLE_RATE, 1);
  native.setBitrate(options.bitrate ?? DEFAULT_PROGRAM_BITRATE);
  if (options.complexity !== undefined)
    native.applyEncoderCTL(OPUS_SET_COMPLEXITY, options.complexity);
  return {
    encode(pcm) {
      if (pcm.length !== frameSamples) {
        throw new RangeError(`expected ${frameSamples} samples, got ${pcm.length}`);
      }
      const packet = native.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      // A copy, so callers never hold a view into a pooled Buffer slab.
      return new Uint8Array(packet);
    },
  };
}

export interface OpusDecoderOptions {
  /** Samples per returned frame; packets of another duration are padded or cut. */
  readonly frameSamples?: number;
}

/** Decoder statistics, for metrics. */
export interface OpusDecoderStats {
  decoded: number;
  corrupt: number;
  concealed: number;
}

/**
 * A mono 48 kHz Opus decoder (stereo packets are downmixed by libopus itself). Returns fixed-size
 * frames and never throws: corrupt packets give silence.
 */
export function createOpusDecoder(
  options: OpusDecoderOptions = {},
): AudioFrameDecoder & { readonly stats: OpusDecoderStats } {
  const frameSamples = options.frameSamples ?? (FRAME_MS * SAMPLE_RATE) / 1000;
  const native = new opus.OpusEncoder(SAMPLE_RATE, 1);
  const stats: OpusDecoderStats = { decoded: 0, corrupt: 0, concealed: 0 };
  /** TOC byte of the last good packet; undefined until one decoded (nothing to conceal). */
  let lastToc: number | undefined;
  /** Last frame returned, for the repeat-and-fade fallback. */
  let last: Int16Array = new Int16Array(frameSamples);
  let fadeStep = 0;

  const decoder: AudioFrameDecoder & { readonly stats: OpusDecoderStats } = {
    stats,
    decode(packet) {
      const toc = packet[0];
      if (toc === undefined) return decoder.conceal();
      try {
        const pcm = toFrame(native.decode(asBuffer(packet)), frameSamples);
        stats.decoded++;
        lastToc = toc;
        last = pcm;
        fadeStep = 0;
        return pcm;
      } catch {
        stats.corrupt++;
        return new Int16Array(frameSamples);
      }
    },
    conceal() {
      if (lastToc === undefined) return new Int16Array(frameSamples);
      stats.concealed++;
      try {
        last = toFrame(native.decode(Buffer.of(plcToc(lastToc))), frameSamples);
      } catch {
        last = repeatAndFade(last, fadeStep++);
      }
      return last;
    },
    reset() {
      native.applyDecoderCTL(OPUS_RESET_STATE, 0);
      lastToc = undefined;
      last = new Int16Array(frameSamples);
      fadeStep = 0;
    },
  };
  return decoder;
}

/**
 * A code-0 TOC (RFC 6716 §3.1) with the same mode, bandwidth and stereo flag as `toc` and a
 * 20 ms frame: SILK configs 0–11 and hybrid 12–15 and CELT 16–31 each list their durations in
 * ascending order, 20 ms being the 2nd SILK, 2nd hybrid and 4th CELT entry.
 */
export function plcToc(toc: number): number {
  const config = toc >> 3;
  const twentyMs = config < 12 ? (config & ~3) | 1 : config < 16 ? config | 1 : config | 3;
  return (twentyMs << 3) | (toc & 0b100);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Copies native-endian PCM out of a Buffer into a frame of exactly `samples` (pad or cut). */
function toFrame(pcm: Buffer, samples: number): Int16Array {
  const frame = new Int16Array(samples);
  const count = Math.min(samples, pcm.length >> 1);
  const source =
    pcm.byteOffset % 2 === 0
      ? new Int16Array(pcm.buffer, pcm.byteOffset, count)
      : new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + count * 2));
  frame.set(source);
  return frame;
}

/** Fallback concealment: the previous frame again, fading by half per frame. */
function repeatAndFade(previous: Int16Array, step: number): Int16Array {
  const frame = new Int16Array(previous.length);
  const from = 0.5 ** step;
  const to = 0.5 ** (step + 1);
  for (let i = 0; i < frame.length; i++) {
    frame[i] = Math.round((previous[i] ?? 0) * (from + ((to - from) * i) / frame.length));
  }
  return frame;
}
