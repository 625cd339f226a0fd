export {
  defaultHostAddresses,
  type IceServer,
  peerConfig,
  type WebRtcNetworkOptions,
} from "./peer.ts";
export {
  type PeerCloseReason,
  type PeerSession,
  type PeerSessionCreated,
  type PeerSessionKind,
  type PeerSessionPlan,
  type PeerSessionRequest,
  type PeerSessionSettings,
  type PeerSessionState,
  PeerSessions,
} from "./peer-sessions.ts";
export {
  checkListenerOffer,
  checkPublisherOffer,
  type ListenerOffer,
  MAX_OFFER_BYTES,
  type PublisherOffer,
} from "./sdp-offer.ts";
export { SpeakerLiveness, type SpeakerMediaState } from "./speaker-liveness.ts";
export {
  isWhipError,
  WhipError,
  type WhipErrorCode,
  whipErrorRegistry,
} from "./whip-errors.ts";
export {
  type WhipCloseReason,
  WhipIngest,
  type WhipIngestOptions,
  type WhipRtpPacket,
  type WhipSessionCreated,
  type WhipSessionInfo,
  type WhipSessionState,
} from "./whip-sessions.ts";
