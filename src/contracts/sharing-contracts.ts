import { z } from "zod";

/**
 * oEmbed (https://oembed.com, version 1.0): the query a consumer sends to `GET /oembed` and
 * the `rich` answer it gets, an iframe of the embed page (`/embed/:spaceId`,
 * `/embed/clips/:clipId`). Field names are the specification's (snake_case).
 */

export const oembedQuerySchema = z.object({
  url: z.string().min(1).max(2048).describe("The address of a Space or clip page"),
  format: z
    .string()
    .max(16)
    .optional()
    .describe("json (the default); xml and anything else answer 501 as the specification says"),
  maxwidth: z.coerce.number().int().min(1).max(10_000).optional(),
  maxheight: z.coerce.number().int().min(1).max(10_000).optional(),
});

export const oembedResponseSchema = z
  .object({
    type: z.literal("rich"),
    version: z.literal("1.0"),
    title: z.string(),
    author_name: z.string(),
    author_url: z.string(),
    provider_name: z.literal("Amphi"),
    provider_url: z.string(),
    cache_age: z.number().int(),
    thumbnail_url: z.string().optional(),
    thumbnail_width: z.number().int().optional(),
    thumbnail_height: z.number().int().optional(),
    html: z.string().describe("An iframe of the embed page; no padding or margins"),
    width: z.number().int(),
    height: z.number().int(),
  })
  .meta({ id: "OEmbed" });

export type OembedQuery = z.output<typeof oembedQuerySchema>;
export type OembedResponse = z.infer<typeof oembedResponseSchema>;
