import { z } from "zod";
import { handleSchema } from "../domain/accounts/account-rules.ts";
import { maxSearchLength, maxSearchTerms, searchTerms } from "../domain/discovery/search-terms.ts";
import { accountSummarySchema } from "./account-contracts.ts";
import { clipSchema } from "./recording-contracts.ts";
import { spaceDocumentSchema } from "./space-contracts.ts";

/**
 * Discovery: the home page's "Live now" and "Upcoming", search, a host's Spaces and clips,
 * and the Explore page. Lists of the public Space document (space-contracts.ts).
 */

export const searchTypeSchema = z
  .enum(["all", "spaces", "accounts"])
  .describe("What to search: Spaces (title, description), accounts (handle, name), or both");

export const searchQuerySchema = z.object({
  q: z
    .string({ error: "enter something to search for" })
    .trim()
    .min(1, "enter something to search for")
    .max(maxSearchLength, `at most ${maxSearchLength} characters`)
    .refine((q) => searchTerms(q).length > 0, "search for at least one letter or digit")
    .refine((q) => searchTerms(q).length <= maxSearchTerms, `at most ${maxSearchTerms} words`)
    .describe('Words to look for; each matches as a prefix ("amp" finds "Amphi")'),
  type: searchTypeSchema.default("all"),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,3}$/, "not a cursor from a previous answer")
    .optional()
    .describe("`nextCursor` of the previous page (opaque)"),
});

export const popularAccountSchema = accountSummarySchema
  .extend({ followers: z.number().int() })
  .meta({ id: "PopularAccount" });

export const searchResultsSchema = z
  .object({
    spaces: z.array(spaceDocumentSchema).describe("Best match first; live Spaces before others"),
    accounts: z.array(popularAccountSchema).describe("Best match first; exact handle first"),
    nextCursor: z
      .string()
      .nullable()
      .describe("Pass as `cursor` for the next page of the type asked for; null at the end"),
  })
  .meta({ id: "SearchResults" });

/** Spaces from the accounts the viewer follows first, then popular ones (no repeats). */
export const discoveredSpacesSchema = z.object({
  following: z.array(spaceDocumentSchema).describe("Hosted by accounts you follow"),
  popular: z.array(spaceDocumentSchema).describe("Popular Spaces of anyone else"),
});

export const homeFeedSchema = z
  .object({
    live: discoveredSpacesSchema.describe("Live now; popular = most listeners now"),
    upcoming: discoveredSpacesSchema.describe(
      "Scheduled; popular = the host's followers and the start time",
    ),
  })
  .meta({ id: "HomeFeed" });

export const replaySchema = z
  .object({
    pageUrl: z.string().describe("The Space's page, which plays the replay"),
    playlistUrl: z.string().describe("HLS VOD playlist"),
    expiresAt: z.iso.datetime().describe("When the recording is deleted (retention)"),
  })
  .meta({ id: "Replay" });

export const pastSpaceSchema = z
  .object({
    space: spaceDocumentSchema,
    replay: replaySchema.nullable().describe("null when the Space was not recorded or expired"),
  })
  .meta({ id: "PastSpace" });

export const hostSpacesSchema = z
  .object({
    live: z.array(spaceDocumentSchema),
    upcoming: z.array(spaceDocumentSchema).describe("Soonest first"),
    past: z.array(pastSpaceSchema).describe("Most recently ended first"),
  })
  .meta({ id: "HostSpaces" });

export const hostSpacesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const hostClipsSchema = z.object({ clips: z.array(clipSchema) }).meta({ id: "HostClips" });

export const exploreSchema = z
  .object({
    live: z.array(spaceDocumentSchema).describe("Most listeners now first"),
    upcoming: z.array(spaceDocumentSchema),
    replays: z.array(pastSpaceSchema).describe("Recorded Spaces that ended recently"),
    accounts: z.array(popularAccountSchema).describe("Hosts with the most followers"),
  })
  .meta({ id: "Explore" });

export const hostParamsSchema = z.object({ handle: handleSchema });

export type SearchType = z.infer<typeof searchTypeSchema>;
export type SearchQuery = z.output<typeof searchQuerySchema>;
export type SearchResults = z.infer<typeof searchResultsSchema>;
export type PopularAccount = z.infer<typeof popularAccountSchema>;
export type DiscoveredSpaces = z.infer<typeof discoveredSpacesSchema>;
export type HomeFeed = z.infer<typeof homeFeedSchema>;
export type Replay = z.infer<typeof replaySchema>;
export type PastSpace = z.infer<typeof pastSpaceSchema>;
export type HostSpaces = z.infer<typeof hostSpacesSchema>;
export type HostClips = z.infer<typeof hostClipsSchema>;
export type Explore = z.infer<typeof exploreSchema>;
