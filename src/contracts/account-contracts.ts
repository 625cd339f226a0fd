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

export type AccountSummary = z.infer<typeof accountSummarySchema>;
export type Account = z.infer<typeof accountSchema>;
export type Profile = z.infer<typeof profileSchema>;
export type Session = z.infer<typeof sessionResponseSchema>;
export type SignUpInput = z.input<typeof signUpBodySchema>;
export type LogInInput = z.input<typeof logInBodySchema>;
export type UpdateProfileInput = z.input<typeof updateProfileBodySchema>;
