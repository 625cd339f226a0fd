/**
 * The program feed: each tick mixes 20 ms, encodes it once (Opus, 32 kbps by default) and hands
 * the packet to the packager with its presentation time in 48 kHz samples. `startProgramFeed`
 * wires that to a `MixClock`.
 */
import { type AudioFrameEncoder, FRAME_SAMPLES } from "../codec/frame-codec.ts";
import { createOpusEncoder, DEFAULT_PROGRAM_BITRATE } from "../codec/opus-codec.ts";
import { type MixClock, type MixClockOptions, startMixClock } from "./mix-clock.ts";
import type { MixedFrame } from "./program-mixer.ts";

export interface EncodedAudioFrame {
  readonly data: Uint8Array;
  readonly durationSamples: typeof FRAME_SAMPLES;
  /**
   * Presentation time of the first sample, in 48 kHz samples since the feed started. It counts
   * emitted frames, so it stays continuous even when the clock skips ticks after a stall.
   */
  readonly ptsSamples: number;
}

export interface ProgramEncoderOptions {
  readonly mixer: { tick(nowMs: number): MixedFrame };
  readonly onFrame: (frame: EncodedAudioFrame) => void;
  /** Per-tick speaker levels, for the "speaking" indicators. */
  readonly onLevels?: (levels: MixedFrame["levels"], nowMs: number) => void;
  /** Opus at `bitrate` by default. */
  readonly encoder?: AudioFrameEncoder;
  readonly bitrate?: number;
  readonly startPtsSamples?: number;
}

export class ProgramEncoder {
  readonly #options: ProgramEncoderOptions;
  readonly #encoder: AudioFrameEncoder;
  #pts: number;

  constructor(options: ProgramEncoderOptions) {
    this.#options = options;
    this.#encoder =
      options.encoder ?? createOpusEncoder({ bitrate: options.bitrate ?? DEFAULT_PROGRAM_BITRATE });
    this.#pts = options.startPtsSamples ?? 0;
  }

  /** Mixes, encodes and emits one frame. */
  tick(nowMs: number): EncodedAudioFrame {
    const mixed = this.#options.mixer.tick(nowMs);
    const frame: EncodedAudioFrame = {
      data: this.#encoder.encode(mixed.pcm),
      durationSamples: FRAME_SAMPLES,
      ptsSamples: this.#pts,
    };
    this.#pts += FRAME_SAMPLES;
    this.#options.onLevels?.(mixed.levels, nowMs);
    this.#options.onFrame(frame);
    return frame;
  }

  /** Presentation time of the next frame. */
  get ptsSamples(): number {
    return this.#pts;
  }
}

/** Runs a program encoder off a drift-free 20 ms clock until `stop()`. */
export function startProgramFeed(
  options: ProgramEncoderOptions & Omit<MixClockOptions, "onTick" | "intervalMs">,
): MixClock & { readonly encoder: ProgramEncoder } {
  const encoder = new ProgramEncoder(options);
  const clock = startMixClock({
    ...options,
    intervalMs: 20,
    onTick: (t) => encoder.tick(t.scheduledMs),
  });
  return {
    encoder,
    stop: () => clock.stop(),
    get ticks() {
      return clock.ticks;
    },
  };
}
