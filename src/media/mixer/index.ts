/** The program mix of a live Space: levels, limiter, mixer core, clock shell and encoder. */
export {
  rmsDbfs,
  SILENCE_DBFS,
  SpeakingDetector,
  type SpeakingDetectorOptions,
} from "./audio-level.ts";
export { Limiter, type LimiterOptions } from "./limiter.ts";
export { type MixClock, type MixClockOptions, type MixTick, startMixClock } from "./mix-clock.ts";
export {
  type EncodedAudioFrame,
  ProgramEncoder,
  type ProgramEncoderOptions,
  startProgramFeed,
} from "./program-encoder.ts";
export {
  type MixedFrame,
  ProgramMixer,
  type ProgramMixerOptions,
  type SpeakerLevel,
} from "./program-mixer.ts";
