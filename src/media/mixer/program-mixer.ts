/**
 * The program mixer of one live Space: every speaker's RTP audio goes through its own jitter
 * buffer and decoder, and each 20 ms tick sums the unmuted speakers into one mono 48 kHz frame
 * behind a limiter, with per-speaker levels for the "speaking" indicators.
 *
 * Pure core: no timers, time comes in as `arrivalMs` and `nowMs`; the decoders come from an
 * injected source (Opus by default). `tick` always returns a frame (silence when nobody speaks)
 * and never throws because of what a speaker sent.
 */
import {
  type AudioFrameDecoder,
  type AudioFrameDecoderSource,
  FRAME_SAMPLES,
} from "../codec/frame-codec.ts";
import { OpusDecoderPool } from "../codec/opus-decoder-pool.ts";
import {
  JitterBuffer,
  type JitterBufferOptions,
  type RtpAudioPacket,
} from "../jitter/jitter-buffer.ts";
import {
  rmsDbfs,
  SILENCE_DBFS,
  SpeakingDetector,
  type SpeakingDetectorOptions,
} from "./audio-level.ts";
import { Limiter, type LimiterOptions } from "./limiter.ts";

export interface SpeakerLevel {
  /** RMS of the speaker's frame this tick, in dBFS (−127 when silent or muted). */
  readonly dbfs: number;
  readonly speaking: boolean;
}

export interface MixedFrame {
  /** One 20 ms mono frame at 48 kHz. */
  readonly pcm: Int16Array;
  readonly levels: ReadonlyMap<string, SpeakerLevel>;
}

export interface ProgramMixerOptions {
  /** Where decoders come from; a pool of Opus decoders by default. */
  readonly decoders?: AudioFrameDecoderSource;
  readonly jitter?: JitterBufferOptions;
  readonly limiter?: LimiterOptions;
  readonly speaking?: SpeakingDetectorOptions;
  /** Called when a speaker's frame could not be produced (the speaker is silent that tick). */
  readonly onSpeakerError?: (id: string, error: unknown) => void;
}

interface Speaker {
  readonly jitter: JitterBuffer;
  readonly decoder: AudioFrameDecoder;
  readonly detector: SpeakingDetector;
  muted: boolean;
}

export class ProgramMixer {
  readonly #speakers = new Map<string, Speaker>();
  readonly #decoders: AudioFrameDecoderSource;
  readonly #limiter: Limiter;
  readonly #sum = new Float32Array(FRAME_SAMPLES);
  readonly #options: ProgramMixerOptions;

  constructor(options: ProgramMixerOptions = {}) {
    this.#options = options;
    this.#decoders = options.decoders ?? new OpusDecoderPool();
    this.#limiter = new Limiter(options.limiter);
  }

  /** Puts a speaker on the mix; adding one already there does nothing. */
  addSpeaker(id: string): void {
    if (this.#speakers.has(id)) return;
    this.#speakers.set(id, {
      jitter: new JitterBuffer(this.#options.jitter),
      decoder: this.#decoders.acquire(),
      detector: new SpeakingDetector(this.#options.speaking),
      muted: false,
    });
  }

  /** Takes a speaker off the mix and hands its decoder back. */
  removeSpeaker(id: string): void {
    const speaker = this.#speakers.get(id);
    if (!speaker) return;
    this.#speakers.delete(id);
    this.#decoders.release(speaker.decoder);
  }

  /** A muted speaker contributes nothing and never shows as speaking. */
  setMuted(id: string, muted: boolean): void {
    const speaker = this.#speakers.get(id);
    if (!speaker || speaker.muted === muted) return;
    speaker.muted = muted;
    speaker.detector.reset();
  }

  hasSpeaker(id: string): boolean {
    return this.#speakers.has(id);
  }

  get speakerIds(): string[] {
    return [...this.#speakers.keys()];
  }

  /** Files one RTP packet from a speaker; false when the speaker is not on the mix. */
  pushPacket(id: string, rtp: RtpAudioPacket, arrivalMs: number): boolean {
    const speaker = this.#speakers.get(id);
    if (!speaker) return false;
    speaker.jitter.push(rtp, arrivalMs);
    return true;
  }

  /** Mixes the next 20 ms; called once per tick by the clock, whether anyone speaks or not. */
  tick(nowMs: number): MixedFrame {
    const sum = this.#sum;
    sum.fill(0);
    const levels = new Map<string, SpeakerLevel>();
    for (const [id, speaker] of this.#speakers) {
      const pcm = this.#speakerFrame(id, speaker);
      const dbfs = pcm ? rmsDbfs(pcm) : SILENCE_DBFS;
      const speaking = speaker.detector.update(dbfs, nowMs) && !speaker.muted;
      levels.set(id, { dbfs, speaking });
      if (pcm) for (let i = 0; i < FRAME_SAMPLES; i++) sum[i] = (sum[i] ?? 0) + (pcm[i] ?? 0);
    }
    return { pcm: this.#limiter.process(sum), levels };
  }

  /** The speaker's frame this tick, or null for silence (muted, nothing to play, or failure). */
  #speakerFrame(id: string, speaker: Speaker): Int16Array | null {
    try {
      const next = speaker.jitter.pop();
      if (speaker.muted || next.kind === "empty") return null;
      const pcm =
        next.kind === "packet" ? speaker.decoder.decode(next.payload) : speaker.decoder.conceal();
      return pcm.length === FRAME_SAMPLES ? pcm : null;
    } catch (error) {
      this.#options.onSpeakerError?.(id, error);
      return null;
    }
  }
}
