import { z } from "zod";

/** Joining a Space as a listener: tickets, places in line, heartbeats. */

/** A signed token (listener ticket or queue token) as a client sends it back. */
export const signedTokenSchema = z.string().min(1).max(2_000);

export const ticketBodySchema = z
  .object({
    queueToken: signedTokenSchema
      .optional()
      .describe("The token of your place in line, from a 202 answer"),
    altcha: z
      .string()
      .min(1)
      .max(10_000)
      .optional()
      .describe("An ALTCHA proof-of-work payload, when a 428 asked for one"),
  })
  .nullish();

export const ticketSchema = z
  .object({
    ticket: z.string().describe("Signed listener ticket (JWT); send it with heartbeats"),
    ticketId: z.string(),
    playlistUrl: z
      .string()
      .describe(
        "The LL-HLS playlist to play: a signed URL (/hls/<space>/<expires>/<signature>/index.m3u8) shared by everyone admitted in the same time window, good until <expires> (Unix seconds)",
      ),
    expiresAt: z.iso.datetime(),
    heartbeatSeconds: z.number().int(),
  })
  .meta({ id: "ListenerTicket" });

export const queuePlaceSchema = z.object({
  token: z.string().nullable().describe("Present it next time to keep your place"),
  position: z.number().int().describe("1 = next; in the pre-queue, the size of the draw"),
  estimatedWaitSeconds: z
    .number()
    .int()
    .nullable()
    .describe("null past the scheduled start while the host has not started: no estimate"),
  phase: z.enum(["pre-queue", "queue"]),
  opensAt: z.iso.datetime().nullable().describe("The scheduled start"),
});

export const queueAnswerSchema = z
  .object({
    queue: queuePlaceSchema,
    retryAfter: z.number().int().describe("Seconds to wait before asking again (as Retry-After)"),
  })
  .meta({ id: "QueuePlace" });

export const heartbeatBodySchema = z.object({ ticket: signedTokenSchema });

export const heartbeatSchema = z.object({
  listeners: z.number().int(),
  ticket: z.string().describe("The renewed ticket; send it next time"),
  expiresAt: z.iso.datetime(),
  heartbeatSeconds: z.number().int(),
  playlistUrl: z
    .string()
    .describe(
      "The playlist signed for the current window: players use its prefix for their next requests, so they never hold an expired URL",
    ),
});

/** `POST /api/spaces/:id/tickets` body: the place in line to redeem, the solved challenge. */
export type TicketRequest = NonNullable<z.input<typeof ticketBodySchema>>;
/** 200: a ticket to listen with. */
export type TicketGrant = z.infer<typeof ticketSchema>;
export type QueuePlace = z.infer<typeof queuePlaceSchema>;
export type QueuePhase = QueuePlace["phase"];
/** 202: in line; ask again after `retryAfter` seconds with the queue token. */
export type QueueAnswer = z.infer<typeof queueAnswerSchema>;
export type HeartbeatAnswer = z.infer<typeof heartbeatSchema>;
