/** Per-speaker RTP jitter buffering for the program mixer. */
export {
  JitterBuffer,
  type JitterBufferOptions,
  type JitterBufferStats,
  type JitterResult,
  type PushOutcome,
  type RtpAudioPacket,
} from "./jitter-buffer.ts";
export { seqAdd, seqDiff, timestampDiff } from "./seq.ts";
