import { z } from "zod";
import { accountSummarySchema } from "../contracts/account-contracts.ts";
import { spaceDocumentSchema } from "../contracts/space-contracts.ts";
import { handleSchema } from "../domain/accounts/account-rules.ts";

/**
 * The public contract as the routes use it: the documents and bodies of src/contracts/ (the
 * one definition of each shape, shared with the domain and the web app), plus the wrappers,
 * parameters and queries only HTTP has. The OpenAPI document at /api/openapi.json is
 * generated from these.
 */
export * from "../contracts/account-contracts.ts";
export * from "../contracts/discovery-contracts.ts";
export * from "../contracts/error-contract.ts";
export * from "../contracts/listening-contracts.ts";
export * from "../contracts/moderation-contracts.ts";
export * from "../contracts/notification-contracts.ts";
export * from "../contracts/recording-contracts.ts";
export * from "../contracts/reminder-contracts.ts";
export * from "../contracts/space-contracts.ts";
export * from "../contracts/webhook-contracts.ts";

export const handleParamsSchema = z.object({ handle: handleSchema });

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

export const sessionParamsSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "not a session id"),
});

export const participantParamsSchema = spaceParamsSchema.extend({ handle: handleSchema });

export const requestsSchema = z.object({ requests: z.array(accountSummarySchema) });

export const okSchema = z.object({ ok: z.literal(true) });

export const clipParamsSchema = z.object({
  clipId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "not a clip id"),
});
