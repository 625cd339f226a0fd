import { z } from "zod";
import {
  bioSchema,
  displayNameSchema,
  handleSchema,
  passwordSchema,
} from "../domain/accounts/account-rules.ts";

/** Accounts as the API shows them, and the bodies that create and change them. */

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

export const sessionResponseSchema = z
  .object({
    account: accountSchema,
    token: z.string().describe("Bearer token for API clients; the web app uses the cookie"),
  })
  .meta({ id: "Session" });

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

export const updateProfileBodySchema = z.object({
  displayName: displayNameSchema.optional(),
  bio: bioSchema.optional(),
});

export const changePasswordBodySchema = z.object({
  currentPassword: z
    .string({ error: "enter your current password" })
    .min(1, "enter your current password")
    .max(200, "at most 200 characters"),
  newPassword: passwordSchema,
});

export const changePasswordResponseSchema = z.object({
  endedSessions: z.number().int().describe("How many other sessions ended (yours goes on)"),
});

/** One of your sessions, as the sessions list shows it: never its token. */
export const sessionInfoSchema = z
  .object({
    id: z.string(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime().describe("Refreshed at most every 5 minutes"),
    expiresAt: z.iso.datetime(),
    userAgent: z.string().describe("The User-Agent it logged in with (at most 300 characters)"),
    client: z.string().describe('A few words for people: "Firefox on Linux"'),
    current: z.boolean().describe("The session this request was made with"),
  })
  .meta({ id: "SessionInfo" });

export const sessionListSchema = z.object({ sessions: z.array(sessionInfoSchema) });

export const endSessionResponseSchema = z.object({
  current: z.boolean().describe("It was the session of this request: you are logged out"),
});

export const endAllSessionsResponseSchema = z.object({
  endedSessions: z.number().int().describe("Every session ended, this one included"),
});

export const blockSchema = z
  .object({
    account: accountSummarySchema.describe("Who is blocked from your Spaces"),
    blockedAt: z.iso.datetime(),
  })
  .meta({ id: "Block" });
export const blockResponseSchema = z.object({ block: blockSchema });
export const blockListSchema = z.object({
  blocks: z.array(blockSchema).describe("Newest first"),
});

export type AccountSummary = z.infer<typeof accountSummarySchema>;
export type Block = z.infer<typeof blockSchema>;
export type BlockList = z.infer<typeof blockListSchema>;
export type Account = z.infer<typeof accountSchema>;
export type Profile = z.infer<typeof profileSchema>;
export type Session = z.infer<typeof sessionResponseSchema>;
export type SignUpInput = z.input<typeof signUpBodySchema>;
export type LogInInput = z.input<typeof logInBodySchema>;
export type UpdateProfileInput = z.input<typeof updateProfileBodySchema>;
export type ChangePasswordInput = z.input<typeof changePasswordBodySchema>;
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export type SessionList = z.infer<typeof sessionListSchema>;
