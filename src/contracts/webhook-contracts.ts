import { z } from "zod";

/** Signed outgoing webhooks of a host (docs/api.md, "Webhooks"). */

/** The events an endpoint may subscribe to. */
export const webhookEventTypes = [
  "space.scheduled",
  "space.live",
  "space.ended",
  "recording.ready",
] as const;

/** What "Send test" delivers; never subscribed to, always sent on request. */
export const webhookTestEventType = "webhook.test";

export const webhookEventTypeSchema = z.enum(webhookEventTypes);

export const createWebhookBodySchema = z.object({
  url: z
    .string()
    .max(2_000)
    .regex(/^https?:\/\/[^\s]+$/i, "must be an https:// URL")
    .describe("https:// (http:// only to loopback where the server allows it)"),
  events: z
    .array(webhookEventTypeSchema)
    .min(1, "choose at least one event")
    .max(webhookEventTypes.length)
    .refine((events) => new Set(events).size === events.length, "each event once"),
});

export const webhookStatusSchema = z
  .enum(["active", "failing", "disabled"])
  .describe(
    "failing: the last attempts failed (deliveries go on); disabled: the receiver answered 410 Gone, nothing is sent until a test succeeds",
  );

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(webhookEventTypeSchema),
    status: webhookStatusSchema,
    consecutiveFailures: z.number().int(),
    lastSuccessAt: z.iso.datetime().nullable(),
    lastFailureAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "WebhookEndpoint" });

export const createdWebhookEndpointSchema = webhookEndpointSchema
  .extend({
    secret: z
      .string()
      .describe("whsec_ + base64 of 32 random bytes: verify signatures with it. Shown only once."),
  })
  .meta({ id: "CreatedWebhookEndpoint" });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    messageId: z.string().describe("The webhook-id header, the same on every attempt"),
    event: z.string(),
    attempt: z.number().int().describe("1 for the first try"),
    outcome: z.enum(["delivered", "failed"]),
    statusCode: z.number().int().nullable().describe("null when no answer came"),
    error: z.string().nullable().describe("why the attempt failed"),
    durationMs: z.number().int(),
    attemptedAt: z.iso.datetime(),
    nextRetryAt: z.iso.datetime().nullable().describe("when the next attempt is due, if any"),
  })
  .meta({ id: "WebhookDelivery" });

export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;
export type CreateWebhookInput = z.input<typeof createWebhookBodySchema>;
export type WebhookStatus = z.infer<typeof webhookStatusSchema>;
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;
export type CreatedWebhookEndpoint = z.infer<typeof createdWebhookEndpointSchema>;
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
