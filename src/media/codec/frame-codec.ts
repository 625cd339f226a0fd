/**
 * The codec seam of the media plane: 20 ms mono frames at 48 kHz in, packets out, and back.
 * The mixer and the program encoder depend on these interfaces only, so tests can swap Opus for
 * a PCM passthrough and the Opus binding stays in one file.
 */

/** Every Opus stream decodes at 48 kHz (RFC 7845 §5.1); the program feed is produced at it too. */
export const SAMPLE_RATE = 48_000;
/** Samples per channel in one 20 ms frame at 48 kHz: the mixer's tick. */
export const FRAME_SAMPLES = 960;
/** Duration of one mixer frame. */
export const FRAME_MS = 20;

/** Turns one frame of mono PCM into one packet. */
export interface AudioFrameEncoder {
  /** `pcm` holds exactly one frame (960 samples for 20 ms). */
  encode(pcm: Int16Array): Uint8Array;
}

/** Turns packets back into fixed-size mono frames; never throws on bad input. */
export interface AudioFrameDecoder {
  /** One frame of mono PCM; silence when the packet is corrupt. */
  decode(packet: Uint8Array): Int16Array;
  /** One frame standing in for a lost packet (packet loss concealment). */
  conceal(): Int16Array;
  /** Forgets all history, as if newly created. */
  reset(): void;
}

/** Where the mixer gets a decoder for each speaker and gives it back. */
export interface AudioFrameDecoderSource {
  acquire(): AudioFrameDecoder;
  release(decoder: AudioFrameDecoder): void;
}
