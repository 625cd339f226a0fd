export { SlotAssigner } from "./slot-assigner.ts";
export {
  SlotRewriter,
  type SlotRewriterOptions,
  type SlotRtpIn,
  type SlotRtpOut,
  seqDelta,
} from "./slot-rewriter.ts";
export {
  type ForwardedRtp,
  type ListenerCloseReason,
  type ListenerSessionCreated,
  type ListenerSessionInfo,
  type ListenerSessionState,
  type SlotInfo,
  SpeakerSfu,
  type SpeakerSfuOptions,
} from "./speaker-sfu.ts";
