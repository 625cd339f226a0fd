import { z } from "zod";
import { accountSummarySchema } from "./account-contracts.ts";

/** Notifications: the inbox, preferences, muted hosts, Web Push subscriptions. */

/**
 * statement: a moderator's decision about you (a statement of reasons, url `/statements/{id}`);
 * report: a notice you sent was decided (url `/reports/{id}`).
 */
export const notificationKinds = [
  "live",
  "reminder",
  "replay",
  "invitation",
  "statement",
  "report",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(notificationKinds),
    text: z.string().describe('What to show, e.g. "@alice is live: Tonight at 8"'),
    url: z.string().describe("Where it leads (the Space's page)"),
    space: z.object({ id: z.string(), title: z.string() }).nullable(),
    actor: z
      .object({ handle: z.string(), displayName: z.string() })
      .nullable()
      .describe("Who caused it (the host going live, the person inviting)"),
    /** Reminders: "24h", "1h" or "start"; invitations: "speaker" or "cohost". */
    detail: z.string().nullable(),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "Notification" });

export const notificationPageSchema = z
  .object({
    notifications: z.array(notificationSchema).describe("Newest first"),
    unread: z.number().int(),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null: no more"),
  })
  .meta({ id: "NotificationPage" });

export const notificationListQuerySchema = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,20}$/, "a nextCursor from an earlier page")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const markReadBodySchema = z.union([
  z.object({
    ids: z
      .array(z.string().regex(/^\d{1,20}$/, "a notification id"))
      .min(1)
      .max(500),
  }),
  z.object({ all: z.literal(true) }),
]);

export const unreadSchema = z.object({ unread: z.number().int() });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour");

export const quietHoursSchema = z
  .object({
    start: hhmm,
    end: hhmm,
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat("en-GB", { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, "an IANA time zone, e.g. Europe/Paris"),
  })
  .meta({ id: "QuietHours" });

export const notificationPreferencesSchema = z
  .object({
    quietHours: quietHoursSchema.nullable().describe("No push and no toast in these hours"),
    push: z.boolean().describe("Web Push to this account's subscribed browsers"),
    muted: z.array(accountSummarySchema).describe("Hosts whose notifications are muted"),
  })
  .meta({ id: "NotificationPreferences" });

export const updatePreferencesBodySchema = z.object({
  quietHours: quietHoursSchema.nullable().optional(),
  push: z.boolean().optional(),
});

export const muteSchema = z.object({ account: accountSummarySchema, muted: z.boolean() });

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, "base64url");

export const pushSubscriptionBodySchema = z
  .object({
    endpoint: z
      .url({ protocol: /^https?$/ })
      .max(2_000)
      .describe("The push service's URL (https; http only on loopback in tests)"),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: base64url.min(20).max(200), auth: base64url.min(8).max(100) }),
  })
  .meta({ id: "PushSubscription" });

export const pushEndpointBodySchema = z.object({ endpoint: z.string().min(1).max(2_000) });

export const pushKeySchema = z.object({
  publicKey: z.string().describe("The VAPID public key (applicationServerKey), base64url"),
});

export const notificationForecastSchema = z
  .object({
    audience: z.number().int().describe("Followers of the host who did not mute them"),
    spreadSeconds: z.number(),
    expectedArrivalsPerSecond: z
      .number()
      .describe("People told per second during the spread: arrivals if all of them come"),
    admitRatePerSecond: z.number(),
    expectedPeakQueue: z.number().int(),
    expectedMaxWaitSeconds: z.number().int(),
    fanOut: z
      .object({
        batches: z.number().int().nullable(),
        batchesWritten: z.number().int(),
        written: z.number().int(),
        startedAt: z.iso.datetime(),
        plannedAt: z.iso.datetime().nullable(),
        completedAt: z.iso.datetime().nullable(),
      })
      .nullable()
      .describe("The go-live fan-out, once the Space went live"),
  })
  .meta({ id: "NotificationForecast" });

export type Notification = z.infer<typeof notificationSchema>;
export type NotificationPage = z.infer<typeof notificationPageSchema>;
export type QuietHoursInput = z.infer<typeof quietHoursSchema>;
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;
export type UpdatePreferencesInput = z.input<typeof updatePreferencesBodySchema>;
export type MarkReadInput = z.input<typeof markReadBodySchema>;
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionBodySchema>;
export type NotificationForecast = z.infer<typeof notificationForecastSchema>;
/** What the account's WebSocket (`/api/notifications/live`) pushes. */
export type NotificationPush = { type: "notification"; notification: Notification };
