import { z } from "zod";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import { errorBodySchema } from "./api-schemas.ts";

/** The error answers a route can give, for the OpenAPI document. */
export function errors(
  ...statuses: (400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 428 | 429 | 503)[]
) {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as Record<
    number,
    typeof errorBodySchema
  >;
}

export function accountJson(account: AccountRecord) {
  return {
    id: account.id,
    handle: account.handle,
    displayName: account.displayName,
    bio: account.bio,
    createdAt: account.createdAt.toISOString(),
  };
}

export const noParams = z.object({});
