import { z } from "zod";

/** Reminders of scheduled Spaces, and the host's forecast of the audience they announce. */

export const reminderBodySchema = z.object({
  at24h: z.boolean().optional().describe("Remind me 24 hours before (default on)"),
  at1h: z.boolean().optional().describe("Remind me 1 hour before (default on)"),
  atStart: z.boolean().optional().describe("Remind me when it starts (default on)"),
});

export const reminderSchema = z
  .object({
    spaceId: z.string(),
    at24h: z.boolean(),
    at1h: z.boolean(),
    atStart: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Reminder" });

export const reminderAnswerSchema = z.object({
  reminder: reminderSchema.nullable().describe("Yours, or null when you have none"),
});

export const audienceForecastSchema = z
  .object({
    reminders: z.number().int().describe("People with a reminder of this Space"),
    followers: z.number().int().describe("The host's followers"),
    expectedAudience: z
      .number()
      .int()
      .describe("Reminders plus a tenth of the followers (docs/decisions.md)"),
    admitRatePerSecond: z
      .number()
      .describe("New listeners let in per second (ADMIT_RATE_PER_SECOND)"),
    maxListeners: z.number().int().describe("Listeners at once (MAX_LISTENERS_PER_SPACE)"),
    fits: z.boolean().describe("The expected audience fits under maxListeners"),
    secondsToAdmit: z
      .number()
      .int()
      .describe(
        "Seconds until everyone expected who fits is in: their arrival over the go-live's notification window, or the line at the admit rate, whichever ends later",
      ),
    spreadSeconds: z
      .number()
      .describe(
        "Seconds the go-live notification is spread over for these followers (NOTIFY_SPREAD_SECONDS at most; 0: told at once)",
      ),
    expectedArrivalsPerSecond: z
      .number()
      .int()
      .describe("Expected arrivals per second while the notification goes out"),
    expectedPeakQueue: z
      .number()
      .int()
      .describe("The admission line when the last expected listener who fits arrives"),
    expectedMaxWaitSeconds: z.number().int().describe("That last arrival's wait in line, seconds"),
    warning: z.string().optional().describe("Present when it does not fit"),
  })
  .meta({ id: "AudienceForecast" });

export type ReminderInput = z.input<typeof reminderBodySchema>;
export type Reminder = z.infer<typeof reminderSchema>;
export type AudienceForecast = z.infer<typeof audienceForecastSchema>;
