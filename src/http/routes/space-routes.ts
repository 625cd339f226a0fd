import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { SpacesService } from "../../spaces/spaces-service.ts";
import {
  createSpaceBodySchema,
  myStandingSchema,
  spaceListQuerySchema,
  spaceListSchema,
  spaceParamsSchema,
  spaceResponseSchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

/**
 * The Space document is the same for everyone, so any HTTP cache or CDN edge may keep it:
 * fresh for 2 s, served stale while it refreshes, and for a day if the origin fails.
 */
export const spaceDocumentCacheControl =
  "public, max-age=2, stale-while-revalidate=30, stale-if-error=86400";

function etagOf(body: string): string {
  return `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

export async function spaceRoutes(app: FastifyInstance, spaces: SpacesService): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/api/spaces",
    {
      schema: {
        tags: ["spaces"],
        summary: "Create or schedule a Space",
        body: createSpaceBodySchema,
        response: { 201: spaceResponseSchema, ...errors(400, 401, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      const space = await spaces.create(me.id, request.body);
      return reply.code(201).header("location", `/api/spaces/${space.id}`).send({ space });
    },
  );

  api.get(
    "/api/spaces",
    {
      schema: {
        tags: ["spaces"],
        summary: "Discover live, upcoming or ended Spaces",
        querystring: spaceListQuerySchema,
        response: { 200: spaceListSchema, ...errors(400) },
      },
    },
    async (request, reply) => {
      reply.header(
        "cache-control",
        "public, max-age=5, stale-while-revalidate=30, stale-if-error=3600",
      );
      return { spaces: await spaces.list(request.query) };
    },
  );

  api.get(
    "/api/spaces/:id",
    {
      schema: {
        tags: ["spaces"],
        summary: "The public Space document (cacheable by edges)",
        params: spaceParamsSchema,
        querystring: z.object({
          v: z
            .string()
            .max(64)
            .optional()
            .describe(
              "The document version the live media announced: a cache key of its own, the answer is the current document",
            ),
        }),
        response: { 200: spaceResponseSchema, 304: z.null(), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const space = await spaces.document(request.params.id);
      const body = JSON.stringify({ space });
      const etag = etagOf(body);
      reply.header("cache-control", spaceDocumentCacheControl).header("etag", etag);
      if (request.headers["if-none-match"] === etag) return reply.code(304).send(null);
      // Already serialized for the ETag: send the same bytes.
      const raw = reply as FastifyReply;
      return raw
        .type("application/json; charset=utf-8")
        .serializer((s: string) => s)
        .send(body);
    },
  );

  api.get(
    "/api/spaces/:id/me",
    {
      schema: {
        tags: ["spaces"],
        summary: "Your standing in the Space (private)",
        params: spaceParamsSchema,
        response: { 200: z.object({ me: myStandingSchema }), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "private, no-store");
      return { me: await spaces.standing(request.params.id, request.account?.id ?? null) };
    },
  );

  for (const action of ["start", "end", "cancel"] as const) {
    api.post(
      `/api/spaces/:id/${action}`,
      {
        schema: {
          tags: ["spaces"],
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} the Space (host)`,
          params: spaceParamsSchema,
          response: { 200: spaceResponseSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const me = requireAccount(request);
        return { space: await spaces.changeState(request.params.id, me.id, action) };
      },
    );
  }
}
