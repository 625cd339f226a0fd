import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { DiscoveryService } from "../../discovery/discovery-service.ts";
import {
  discoveredSpacesSchema,
  exploreSchema,
  homeFeedSchema,
  hostClipsSchema,
  hostParamsSchema,
  hostSpacesQuerySchema,
  hostSpacesSchema,
  searchQuerySchema,
  searchResultsSchema,
} from "../api-schemas.ts";
import { errors } from "../route-helpers.ts";

/** The same for everyone: any cache may keep it a few seconds. */
const publicListCache = "public, max-age=5, stale-while-revalidate=30, stale-if-error=3600";

/**
 * Lists that depend on who asks: private for someone logged in, shared for everyone else (the
 * Vary headers keep an edge from answering a logged-in request with the anonymous copy).
 */
function perViewer(request: FastifyRequest, reply: FastifyReply): void {
  reply.header("vary", "Cookie, Authorization");
  reply.header("cache-control", request.account ? "private, max-age=2" : publicListCache);
}

/**
 * "Live now" and the home lists leave as plain `JSON.stringify`, not through the zod
 * serializer: every logged-in page load asks for them, a go-live makes a million people ask
 * at once, and re-checking forty documents against their schema at every read (what the zod
 * serializer does before stringifying) found nothing the type checker had not: the documents
 * are built from typed values once per snapshot (src/spaces/space-document.ts). The schemas
 * still document the routes, and test/integration/discovery-api.test.ts checks real answers
 * against them.
 */
const ownAnswers = () => (data: unknown) => JSON.stringify(data);

/** Discovery: home lists, search, a host's Spaces and clips, Explore. */
export async function discoveryRoutes(
  app: FastifyInstance,
  discovery: DiscoveryService,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/discovery/home",
    {
      serializerCompiler: ownAnswers,
      schema: {
        tags: ["discovery"],
        summary: "Live now and upcoming: followed hosts first, then popular Spaces",
        response: { 200: homeFeedSchema },
      },
    },
    async (request, reply) => {
      perViewer(request, reply);
      return discovery.home(request.account?.id ?? null);
    },
  );

  api.get(
    "/api/discovery/live",
    {
      serializerCompiler: ownAnswers,
      schema: {
        tags: ["discovery"],
        summary: "Live now only: followed hosts first, then popular Spaces",
        response: { 200: discoveredSpacesSchema },
      },
    },
    async (request, reply) => {
      perViewer(request, reply);
      return discovery.liveNowFor(request.account?.id ?? null);
    },
  );

  api.get(
    "/api/discovery/explore",
    {
      schema: {
        tags: ["discovery"],
        summary: "Popular live and upcoming Spaces, recent replays, popular hosts",
        response: { 200: exploreSchema },
      },
    },
    async (_request, reply) => {
      reply.header("cache-control", publicListCache);
      return discovery.explore();
    },
  );

  api.get(
    "/api/search",
    {
      schema: {
        tags: ["discovery"],
        summary: "Search Spaces (title, description) and accounts (handle, name)",
        querystring: searchQuerySchema,
        response: { 200: searchResultsSchema, ...errors(400) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "public, max-age=10");
      return discovery.search(request.query);
    },
  );

  api.get(
    "/api/accounts/:handle/spaces",
    {
      schema: {
        tags: ["discovery"],
        summary: "A host's live, upcoming and past Spaces, with replays",
        params: hostParamsSchema,
        querystring: hostSpacesQuerySchema,
        response: { 200: hostSpacesSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", publicListCache);
      return discovery.hostSpaces(request.params.handle, request.query.limit);
    },
  );

  api.get(
    "/api/accounts/:handle/clips",
    {
      schema: {
        tags: ["discovery"],
        summary: "Clips made of a host's Spaces (recordings still kept), newest first",
        params: hostParamsSchema,
        querystring: hostSpacesQuerySchema,
        response: { 200: hostClipsSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "public, max-age=30");
      return discovery.hostClips(request.params.handle, request.query.limit);
    },
  );
}
