/**
 * The failures the WebRTC ingest (WHIP publisher sessions) and the speaker SFU (listener sessions)
 * report, each with the HTTP status the HTTP layer answers with. The shape matches
 * `errorRegistry` in src/errors/error-registry.ts, so the entries can be added there as they are.
 */
export const whipErrorRegistry = {
  AMPHI_WHIP_BAD_OFFER: { status: 400, message: "The SDP offer is not valid." },
  AMPHI_WHIP_SESSION_NOT_FOUND: { status: 404, message: "There is no such WebRTC session." },
  AMPHI_WHIP_UNSUPPORTED_TRACKS: {
    status: 406,
    message: "Offer exactly one audio track to publish, or audio-only receive slots to listen.",
  },
  AMPHI_WHIP_SESSION_EXISTS: {
    status: 409,
    message: "You already have a WebRTC session in this Space; end it first (DELETE).",
  },
  AMPHI_WHIP_NOT_OPUS: { status: 415, message: "Audio must be Opus (opus/48000/2)." },
  /** Not thrown by this module: for the HTTP layer when the body is not `application/sdp`. */
  AMPHI_WHIP_NOT_SDP: { status: 415, message: "Send an SDP offer (application/sdp)." },
  /** Not thrown by this module: for the HTTP layer, PATCH (trickle ICE, ICE restart) on a session. */
  AMPHI_WHIP_PATCH_UNSUPPORTED: {
    status: 501,
    message: "Trickle ICE and ICE restarts are not supported; send all candidates in the offer.",
  },
  AMPHI_WHIP_UNAVAILABLE: { status: 503, message: "WebRTC sessions cannot be opened right now." },
} as const satisfies Record<string, { status: number; message: string }>;

export type WhipErrorCode = keyof typeof whipErrorRegistry;

/** Thrown by WhipIngest and SpeakerSfu; the HTTP layer maps `code` to `status`. */
export class WhipError extends Error {
  readonly code: WhipErrorCode;
  readonly status: number;
  readonly details: unknown;

  /**
   * `message` is ours and goes to the client; a library's failure goes in `cause`, which is
   * logged and never sent (its text says nothing useful to a client and much about the server).
   */
  constructor(code: WhipErrorCode, message?: string, details?: unknown, cause?: unknown) {
    super(message ?? whipErrorRegistry[code].message, cause === undefined ? undefined : { cause });
    this.name = "WhipError";
    this.code = code;
    this.status = whipErrorRegistry[code].status;
    this.details = details;
  }
}

export function isWhipError(error: unknown): error is WhipError {
  return error instanceof WhipError;
}
