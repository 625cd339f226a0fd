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
