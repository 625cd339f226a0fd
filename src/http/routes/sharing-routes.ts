import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { oembedQuerySchema, oembedResponseSchema } from "../../contracts/sharing-contracts.ts";
import { handleSchema } from "../../domain/accounts/account-rules.ts";
import { AmphiError } from "../../errors/error-registry.ts";
import type { Sharing, SubjectRef } from "../../sharing/sharing.ts";
import { clipParamsSchema, spaceParamsSchema } from "../api-schemas.ts";
import { sendError } from "../error-handler.ts";

/** Link previews change with the Space (live, listeners): short, and shared by every cache. */
const cardCache = "public, max-age=60";
const feedCache = "public, max-age=300";
const oembedCache = "public, max-age=60";

type Refer = (params: unknown) => SubjectRef | null;

const spaceRef: Refer = (params) => {
  const parsed = spaceParamsSchema.safeParse(params);
  return parsed.success ? { kind: "space", id: parsed.data.id } : null;
};
const clipRef: Refer = (params) => {
  const parsed = clipParamsSchema.safeParse(params);
  return parsed.success ? { kind: "clip", id: parsed.data.clipId } : null;
};
const profileRef: Refer = (params) => {
  const parsed = z.object({ handle: handleSchema }).safeParse(params);
  return parsed.success ? { kind: "profile", handle: parsed.data.handle } : null;
};

/**
 * Shared links: the pages of Spaces, clips and profiles with their own head (whatever the
 * client accepts: unfurlers send `*\/*`), their PNG cards, oEmbed and the hosts' feeds.
 * Registered before the web app's catch-all, which would treat `card.png` and `feed.xml` as
 * missing files.
 */
export async function sharingRoutes(app: FastifyInstance, sharing: Sharing): Promise<void> {
  const page = (refer: Refer) => async (request: FastifyRequest, reply: FastifyReply) => {
    const ref = refer(request.params);
    if (!ref) return reply.callNotFound();
    let answer: { status: number; html: string };
    try {
      answer = await sharing.page(ref, sharing.origin(request));
    } catch (error) {
      // The page works without its head (the app loads the Space itself): never fail it.
      request.log.warn({ err: error }, "sharing: page head not rendered");
      answer = { status: 200, html: sharing.plainPage() };
    }
    return reply
      .code(answer.status)
      .header("cache-control", "no-cache")
      .type("text/html; charset=utf-8")
      .send(answer.html);
  };
  const hidden = { schema: { hide: true } };
  app.get("/spaces/:id", hidden, page(spaceRef));
  app.get("/clips/:clipId", hidden, page(clipRef));
  app.get("/@:handle", hidden, page(profileRef));
  app.get("/u/:handle", hidden, page(profileRef));

  const card = (refer: Refer) => async (request: FastifyRequest, reply: FastifyReply) => {
    const ref = refer(request.params);
    const png = ref ? await sharing.card(ref) : null;
    if (!png) throw new AmphiError("AMPHI_NOT_FOUND");
    return reply.header("cache-control", cardCache).type("image/png").send(png);
  };
  app.get("/spaces/:id/card.png", hidden, card(spaceRef));
  app.get("/clips/:clipId/card.png", hidden, card(clipRef));
  app.get("/@:handle/card.png", hidden, card(profileRef));

  app.get("/@:handle/feed.xml", hidden, async (request, reply) => {
    const ref = profileRef(request.params);
    const xml =
      ref?.kind === "profile"
        ? await sharing.feeds.feed(ref.handle, sharing.origin(request))
        : null;
    if (xml === null) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    return reply
      .header("cache-control", feedCache)
      .type("application/rss+xml; charset=utf-8")
      .send(xml);
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    "/oembed",
    {
      schema: {
        hide: true,
        querystring: oembedQuerySchema,
        response: { 200: oembedResponseSchema },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      if (format !== undefined && format !== "json") {
        // Not a fault of ours (the error handler would log 5xx as one): answer it here.
        return sendError(reply, new AmphiError("AMPHI_OEMBED_JSON_ONLY"));
      }
      reply.header("cache-control", oembedCache);
      return sharing.oembed(request.query, sharing.origin(request));
    },
  );
}
