import { z } from "zod";
import {
  bioSchema,
  displayNameSchema,
  handleSchema,
  passwordSchema,
  plainText,
} from "../domain/accounts/account-rules.ts";
import { reactionEmojis } from "../domain/spaces/reactions.ts";
import { roles } from "../domain/spaces/roles.ts";
import { spaceStates } from "../domain/spaces/space-lifecycle.ts";

/**
 * The public contract: every body and document the API takes or gives, as zod schemas.
 * The OpenAPI document at /api/openapi.json is generated from these.
 */

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe("Stable machine-readable code, AMPHI_..."),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

export const accountSummarySchema = z
  .object({ id: z.string(), handle: z.string(), displayName: z.string() })
  .meta({ id: "AccountSummary" });

export const accountSchema = accountSummarySchema
  .extend({ bio: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: "Account" });

export const profileSchema = accountSchema
  .extend({
    followers: z.number().int(),
    following: z.number().int(),
    viewerFollows: z.boolean().nullable().describe("null when nobody is logged in"),
  })
  .meta({ id: "Profile" });

export const signUpBodySchema = z.object({
  handle: handleSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
});

export const logInBodySchema = z.object({
  handle: handleSchema,
  // Messages people read under the field (the validator's own wording is for developers).
  password: z
    .string({ error: "enter your password" })
    .min(1, "enter your password")
    .max(200, "at most 200 characters"),
});

export const sessionResponseSchema = z
  .object({
    account: accountSchema,
    token: z.string().describe("Bearer token for API clients; the web app uses the cookie"),
  })
  .meta({ id: "Session" });

export const updateProfileBodySchema = z.object({
  displayName: displayNameSchema.optional(),
  bio: bioSchema.optional(),
});

export const handleParamsSchema = z.object({ handle: handleSchema });

export const speakerRequestsSchema = z
  .enum(["everyone", "followed", "invited"])
  .describe("Who may ask to speak: everyone, people the host follows, or nobody (invite only)");

const maxScheduleAheadMs = 366 * 86_400_000;

export const createSpaceBodySchema = z.object({
  title: plainText().pipe(
    z.string().min(1, "must not be empty").max(100, "at most 100 characters"),
  ),
  description: plainText().pipe(z.string().max(500, "at most 500 characters")).optional(),
  scheduledFor: z.iso
    .datetime({ offset: true })
    .refine(
      (d) => Math.abs(Date.parse(d) - Date.now()) < maxScheduleAheadMs,
      "must be within a year from now",
    )
    .optional()
    .describe("When the Space is planned to start; omit to start when the host is ready"),
  startNow: z.boolean().optional().describe("Create the Space already live"),
  recording: z.boolean().optional(),
  speakerRequests: speakerRequestsSchema.optional(),
  requireLogin: z.boolean().optional().describe("Listeners must be logged in to get a ticket"),
});

export const stageEntrySchema = z
  .object({
    account: accountSummarySchema,
    role: z.enum(roles),
    muted: z.boolean(),
  })
  .meta({ id: "StageEntry" });

export const countsSchema = z
  .object({
    listeners: z
      .number()
      .int()
      .describe("Distinct listener tickets heard from in the last ~75 s (heartbeats)"),
    onStage: z.number().int(),
    reactionsLastSecond: z.number().int(),
  })
  .meta({ id: "Counts" });

export const spaceDocumentSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    state: z.enum(spaceStates),
    host: accountSummarySchema,
    scheduledFor: z.iso.datetime().nullable(),
    startedAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    recording: z.boolean(),
    speakerRequests: speakerRequestsSchema,
    requireLogin: z.boolean().describe("Listeners must be logged in to get a ticket"),
    stage: z.array(stageEntrySchema),
    counts: countsSchema,
    playlistUrl: z.string().nullable().describe("LL-HLS playlist once audio is live"),
    audience: z
      .object({ peakListeners: z.number().int(), uniqueListeners: z.number().int() })
      .nullable()
      .describe("Peak concurrent and distinct listeners, stored when the Space ended"),
  })
  .meta({ id: "Space" });

export const spaceResponseSchema = z.object({ space: spaceDocumentSchema });

export const spaceListQuerySchema = z.object({
  state: z.enum(["live", "scheduled", "ended"]).default("live"),
  host: handleSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const spaceListSchema = z.object({ spaces: z.array(spaceDocumentSchema) });

export const spaceParamsSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "not a Space id"),
});

export const participantParamsSchema = spaceParamsSchema.extend({ handle: handleSchema });

export const myStandingSchema = z
  .object({
    standing: z.enum(["host", "cohost", "speaker", "listener", "removed", "anonymous"]),
    pending: z.enum(["none", "requested", "invitedSpeaker", "invitedCohost"]),
    muted: z.boolean(),
    canRequestToSpeak: z.boolean(),
  })
  .meta({ id: "MyStanding" });

export const requestsSchema = z.object({ requests: z.array(accountSummarySchema) });

export const invitationBodySchema = z.object({
  handle: handleSchema,
  role: z.enum(["speaker", "cohost"]).default("speaker"),
});

export const reactionBodySchema = z.object({ emoji: z.enum(reactionEmojis) });

export const okSchema = z.object({ ok: z.literal(true) });

export const recordingSchema = z
  .object({
    spaceId: z.string(),
    durationSeconds: z.number(),
    startedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().describe("When the recording is deleted (retention)"),
    playlistUrl: z.string().describe("HLS VOD playlist"),
    downloadUrl: z.string().describe("The whole conversation as one .m4a (fragmented MP4, Opus)"),
  })
  .meta({ id: "Recording" });

export const clipSchema = z
  .object({
    id: z.string(),
    spaceId: z.string(),
    spaceTitle: z.string(),
    startSeconds: z.number(),
    endSeconds: z.number(),
    createdAt: z.iso.datetime(),
    playlistUrl: z.string(),
    downloadUrl: z.string(),
    pageUrl: z.string(),
  })
  .meta({ id: "Clip" });

export const createClipBodySchema = z.object({
  startSeconds: z.number().min(0).max(1e7),
  endSeconds: z.number().min(0).max(1e7),
});

export const clipParamsSchema = z.object({
  clipId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "not a clip id"),
});
