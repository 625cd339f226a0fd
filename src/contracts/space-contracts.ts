import { z } from "zod";
import { handleSchema, plainText } from "../domain/accounts/account-rules.ts";
import type { Standing } from "../domain/spaces/permissions.ts";
import { reactionEmojis } from "../domain/spaces/reactions.ts";
import { roles } from "../domain/spaces/roles.ts";
import { spaceStates } from "../domain/spaces/space-lifecycle.ts";
import type { Pending, SpeakerRequestPolicy } from "../domain/spaces/stage.ts";
import { accountSummarySchema } from "./account-contracts.ts";
import { signedTokenSchema } from "./listening-contracts.ts";

/**
 * The Space document and the per-viewer standing: the one definition of their shape. The
 * server builds them (src/spaces/space-document.ts), the HTTP layer serializes and documents
 * them (OpenAPI), the web app takes their types (type-only imports, no zod in the bundle).
 */

export const speakerRequestsSchema = z
  .enum(["everyone", "followed", "invited"] as const satisfies readonly SpeakerRequestPolicy[])
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

export const audienceSchema = z.object({
  peakListeners: z.number().int().describe("Most listeners at the same time"),
  uniqueListeners: z.number().int().describe("Distinct listeners over the whole Space"),
});

/** The public Space document: the same for every viewer, so edges can cache it. */
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
    playlistUrl: z
      .string()
      .nullable()
      .describe(
        "Always null: the live audio's URLs are signed and come with a listener ticket (POST /api/spaces/:id/tickets)",
      ),
    audience: audienceSchema
      .nullable()
      .describe("Peak concurrent and distinct listeners, stored when the Space ended"),
    version: z
      .string()
      .describe(
        "Changes with anything but the counts; the live media carries it (docs/live-state.md)",
      ),
  })
  .meta({ id: "Space" });

export const myStandingSchema = z
  .object({
    standing: z.enum([
      "host",
      "cohost",
      "speaker",
      "listener",
      "removed",
      "anonymous",
    ] as const satisfies readonly Standing[]),
    pending: z.enum([
      "none",
      "requested",
      "invitedSpeaker",
      "invitedCohost",
    ] as const satisfies readonly Pending[]),
    muted: z.boolean(),
    canRequestToSpeak: z.boolean(),
  })
  .meta({ id: "MyStanding" });

export const invitationBodySchema = z.object({
  handle: handleSchema,
  role: z.enum(["speaker", "cohost"]).default("speaker"),
});

export const reactionBodySchema = z.object({
  emoji: z.enum(reactionEmojis),
  ticket: signedTokenSchema
    .optional()
    .describe("A listener ticket of this Space, to react without a session (ignored with one)"),
});

export type CreateSpaceInput = z.input<typeof createSpaceBodySchema>;
export type NewSpaceInput = z.output<typeof createSpaceBodySchema>;
export type StageEntry = z.infer<typeof stageEntrySchema>;
export type SpaceCounts = z.infer<typeof countsSchema>;
export type Audience = z.infer<typeof audienceSchema>;
export type SpaceDocument = z.infer<typeof spaceDocumentSchema>;
export type MyStanding = z.infer<typeof myStandingSchema>;
export type ReactionInput = z.input<typeof reactionBodySchema>;
