import { whipErrorRegistry } from "../media/whip/whip-errors.ts";
import { moderationErrorRegistry } from "../moderation/moderation-errors.ts";
import { sharingErrorRegistry } from "../sharing/sharing-errors.ts";

/**
 * Every error Amphi answers with, one code per cause, each with its HTTP status.
 * The body is always `{ error: { code, message, details? } }`; docs/errors.md lists them.
 */
export const errorRegistry = {
  ...whipErrorRegistry,
  ...sharingErrorRegistry,
  ...moderationErrorRegistry,
  AMPHI_VALIDATION_FAILED: { status: 400, message: "The request is not valid." },
  AMPHI_MALFORMED_JSON: { status: 400, message: "The request body is not valid JSON." },
  AMPHI_TEXT_DIRECTION_CONTROLS: {
    status: 400,
    message:
      "Text must not contain invisible direction controls (bidi overrides, isolates, marks).",
  },
  AMPHI_TEXT_INVISIBLE: { status: 400, message: "Text must contain something visible." },
  AMPHI_WEBHOOK_URL_REFUSED: {
    status: 400,
    message: "Webhooks go to public https:// addresses only.",
  },
  AMPHI_UNAUTHENTICATED: { status: 401, message: "Log in to do this." },
  AMPHI_TICKET_INVALID: {
    status: 401,
    message: "This listener ticket is not valid or has expired; ask for a new one.",
  },
  AMPHI_BAD_CREDENTIALS: { status: 401, message: "Wrong handle or password." },
  AMPHI_FORBIDDEN: { status: 403, message: "You may not do this." },
  AMPHI_WRONG_PASSWORD: { status: 403, message: "Your current password is not right." },
  AMPHI_CROSS_ORIGIN: { status: 403, message: "Cross-origin requests with cookies are refused." },
  AMPHI_REMOVED_FROM_SPACE: { status: 403, message: "You were removed from this Space." },
  AMPHI_MEDIA_URL_INVALID: {
    status: 403,
    message: "This audio address is not signed; listen through the Space's page (a ticket).",
  },
  AMPHI_REQUESTS_CLOSED: {
    status: 403,
    message: "The host does not take requests to speak from you in this Space.",
  },
  AMPHI_BLOCKED_BY_HOST: {
    status: 403,
    message: "The host of this Space has blocked you from their Spaces.",
  },
  AMPHI_NOT_FOUND: { status: 404, message: "There is nothing here." },
  AMPHI_ACCOUNT_NOT_FOUND: { status: 404, message: "No account has this handle." },
  AMPHI_SPACE_NOT_FOUND: { status: 404, message: "No Space has this id." },
  AMPHI_RECORDING_NOT_FOUND: {
    status: 404,
    message: "This Space has no recording (not recorded, not ended yet, or expired).",
  },
  AMPHI_CLIP_NOT_FOUND: { status: 404, message: "No clip has this id." },
  AMPHI_SESSION_NOT_FOUND: { status: 404, message: "You have no session with this id." },
  AMPHI_STREAM_NOT_FOUND: { status: 404, message: "This Space has no live audio right now." },
  AMPHI_PARTICIPANT_NOT_FOUND: { status: 404, message: "This person is not in the Space." },
  AMPHI_WEBHOOK_NOT_FOUND: { status: 404, message: "You have no webhook with this id." },
  AMPHI_METHOD_NOT_ALLOWED: { status: 405, message: "This method is not allowed here." },
  AMPHI_HANDLE_TAKEN: { status: 409, message: "This handle is taken." },
  AMPHI_INVALID_TRANSITION: { status: 409, message: "The Space cannot go to that state now." },
  AMPHI_SPACE_NOT_LIVE: { status: 409, message: "The Space is not live." },
  AMPHI_SPACE_ENDED: { status: 409, message: "The Space has ended; its replay is on its page." },
  AMPHI_SPACE_NOT_SCHEDULED: {
    status: 409,
    message: "Reminders are for scheduled Spaces; this one is live or over.",
  },
  AMPHI_LIVE_SPACE_LIMIT: {
    status: 409,
    message: "You have as many live Spaces as an account may have at once; end one first.",
  },
  AMPHI_CANNOT_BLOCK_SELF: { status: 409, message: "You cannot block yourself." },
  AMPHI_STAGE_FULL: { status: 409, message: "The stage is full." },
  AMPHI_STAGE_CONFLICT: { status: 409, message: "This does not fit the stage as it is now." },
  AMPHI_CANNOT_FOLLOW_SELF: { status: 409, message: "You cannot follow yourself." },
  AMPHI_CANNOT_MUTE_SELF: { status: 409, message: "You cannot mute yourself." },
  AMPHI_WEBHOOK_LIMIT_REACHED: {
    status: 409,
    message: "You have as many webhooks as an account may have; delete one first.",
  },
  AMPHI_MEDIA_URL_EXPIRED: {
    status: 410,
    message: "This audio address has expired; the player's heartbeat gives the current one.",
  },
  AMPHI_RECORDING_DELETED: {
    status: 410,
    message: "The host deleted this recording; its replay and clips are gone.",
  },
  AMPHI_PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  AMPHI_URI_TOO_LONG: { status: 414, message: "The address is too long." },
  AMPHI_HEADERS_TOO_LARGE: {
    status: 431,
    message: "The request's address and headers are too large.",
  },
  AMPHI_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Send JSON (application/json)." },
  AMPHI_CHALLENGE_REQUIRED: {
    status: 428,
    message: "Many people are arriving at once: solve the proof-of-work challenge to join.",
  },
  AMPHI_RATE_LIMITED: { status: 429, message: "Too many requests; try again later." },
  AMPHI_INTERNAL: { status: 500, message: "Something went wrong on our side." },
  AMPHI_NOT_READY: { status: 503, message: "The server is not ready yet." },
  AMPHI_DATABASE_UNAVAILABLE: {
    status: 503,
    message:
      "Changes cannot be saved right now; nothing was changed. Listening goes on; try again shortly.",
  },
  AMPHI_OVERLOADED: { status: 503, message: "The server is busy; try again in a moment." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorRegistry;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** A failure the API reports to its caller; thrown by services, rendered by the HTTP layer. */
export class AmphiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Seconds, for 429/503 answers. */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    options: { message?: string; details?: unknown; retryAfter?: number } = {},
  ) {
    super(options.message ?? errorRegistry[code].message);
    this.name = "AmphiError";
    this.code = code;
    this.status = errorRegistry[code].status;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }

  toBody(): ErrorBody {
    const error: ErrorBody["error"] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}
