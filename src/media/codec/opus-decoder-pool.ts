/**
 * Reuses Opus decoders across speakers joining and leaving a Space: a decoder handed back is
 * reset and kept (up to `maxIdle`), so churn on stage does not churn native allocations.
 */
import type { AudioFrameDecoder, AudioFrameDecoderSource } from "./frame-codec.ts";
import { createOpusDecoder } from "./opus-codec.ts";

export class OpusDecoderPool implements AudioFrameDecoderSource {
  readonly #idle: AudioFrameDecoder[] = [];
  readonly #maxIdle: number;
  readonly #create: () => AudioFrameDecoder;

  constructor(options: { maxIdle?: number; create?: () => AudioFrameDecoder } = {}) {
    this.#maxIdle = options.maxIdle ?? 16;
    this.#create = options.create ?? (() => createOpusDecoder());
  }

  /** A decoder with no history. */
  acquire(): AudioFrameDecoder {
    return this.#idle.pop() ?? this.#create();
  }

  /** Hands a decoder back; it must not be used afterwards. */
  release(decoder: AudioFrameDecoder): void {
    if (this.#idle.length >= this.#maxIdle || this.#idle.includes(decoder)) return;
    decoder.reset();
    this.#idle.push(decoder);
  }

  /** Decoders waiting for reuse. */
  get idle(): number {
    return this.#idle.length;
  }
}
