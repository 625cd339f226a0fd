/**
 * The JSON shapes of the Amphi API, written by hand to mirror src/http/api-schemas.ts.
 * Keep them in step with the server's schemas (the OpenAPI document at /api/openapi.json).
 */

export const reactionEmojis = ["💯", "👏", "😂", "❤️", "🙌", "😮", "😢", "🔥"] as const;
export type ReactionEmoji = (typeof reactionEmojis)[number];

export type Role = "host" | "cohost" | "speaker" | "listener";
export type SpaceState = "scheduled" | "live" | "ended" | "cancelled";
export type Standing = Role | "removed" | "anonymous";
export type Pending = "none" | "requested" | "invitedSpeaker" | "invitedCohost";
export type SpeakerRequestPolicy = "everyone" | "followed" | "invited";
export type ListableState = "live" | "scheduled" | "ended";

export interface AccountSummary {
  id: string;
  handle: string;
  displayName: string;
}

export interface Account extends AccountSummary {
  bio: string;
  createdAt: string;
}

export interface Profile extends Account {
  followers: number;
  following: number;
  /** null when nobody is logged in. */
  viewerFollows: boolean | null;
}

export interface Session {
  account: Account;
  token: string;
}

export interface StageEntry {
  account: AccountSummary;
  role: Role;
  muted: boolean;
}

export interface Counts {
  listeners: number;
  onStage: number;
  reactionsLastSecond: number;
}

export interface SpaceDocument {
  id: string;
  title: string;
  description: string;
  state: SpaceState;
  host: AccountSummary;
  scheduledFor: string | null;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
  recording: boolean;
  speakerRequests: SpeakerRequestPolicy;
  stage: StageEntry[];
  counts: Counts;
  playlistUrl: string | null;
  /** Listeners must be logged in to get a ticket. */
  requireLogin: boolean;
  /** Who listened, counted once the Space has ended; null before. */
  audience: Audience | null;
}

export interface Audience {
  /** Most listeners at the same time. */
  peakListeners: number;
  /** Distinct listeners over the whole Space. */
  uniqueListeners: number;
}

export interface MyStanding {
  standing: Standing;
  pending: Pending;
  muted: boolean;
  canRequestToSpeak: boolean;
}

export interface SignUpInput {
  handle: string;
  displayName: string;
  password: string;
}

export interface LogInInput {
  handle: string;
  password: string;
}

export interface UpdateProfileInput {
  displayName?: string;
  bio?: string;
}

export interface CreateSpaceInput {
  title: string;
  description?: string;
  scheduledFor?: string;
  startNow?: boolean;
  recording?: boolean;
  speakerRequests?: SpeakerRequestPolicy;
  requireLogin?: boolean;
}

export interface ReactionSample {
  emoji: ReactionEmoji;
  handle: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface Recording {
  spaceId: string;
  durationSeconds: number;
  /** HLS VOD playlist of the whole Space. */
  playlistUrl: string;
  downloadUrl: string;
  startedAt: string;
  /** When the recording is deleted (the server's retention). */
  expiresAt?: string;
}

export interface Clip {
  id: string;
  spaceId: string;
  spaceTitle: string;
  startSeconds: number;
  endSeconds: number;
  playlistUrl: string;
  downloadUrl: string;
  pageUrl: string;
  createdAt: string;
}

export interface CreateClipInput {
  startSeconds: number;
  endSeconds: number;
}

/** `POST /api/spaces/:id/tickets` body: the place in line to redeem, the solved challenge. */
export interface TicketRequest {
  queueToken?: string;
  /** The base64 ALTCHA payload, after a 428 AMPHI_CHALLENGE_REQUIRED. */
  altcha?: string;
}

/** 200: a ticket to listen with. */
export interface TicketGrant {
  /** Signed; sent back with every heartbeat. */
  ticket: string;
  ticketId: string;
  playlistUrl: string;
  expiresAt: string;
  heartbeatSeconds: number;
}

export type QueuePhase = "pre-queue" | "queue";

export interface QueuePlace {
  /** Presented on the next try to keep the place; null when the line is full (no place kept). */
  token: string | null;
  position: number;
  /** Null past the scheduled start while the host has not started: no honest estimate. */
  estimatedWaitSeconds: number | null;
  /** "pre-queue": the Space has not started; the order is drawn at random when it does. */
  phase: QueuePhase;
  opensAt: string | null;
}

/** 202: in line; ask again after `retryAfter` seconds with the queue token. */
export interface QueueAnswer {
  queue: QueuePlace;
  retryAfter: number;
}

export type TicketAnswer = TicketGrant | QueueAnswer;

export interface HeartbeatAnswer {
  listeners: number;
  /** The renewed ticket: send this one next time. */
  ticket: string;
  expiresAt: string;
  heartbeatSeconds: number;
}
