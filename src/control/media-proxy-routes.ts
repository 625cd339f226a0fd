import replyFrom from "@fastify/reply-from";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AmphiError } from "../errors/error-registry.ts";
import { sendError } from "../http/error-handler.ts";
import type { MediaLease } from "../shared-state/ports.ts";
import type { MediaLocator } from "./media-locator.ts";

const spaceIdPattern = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * On an API node, the media plane's URLs (`/hls/:id/...`, `/whip/:id...`, `/whep/:id...`)
 * are forwarded to the media node that owns the Space (its placement lease), with the
 * caller's headers (cookie, Authorization, X-Forwarded-For) so the media node authenticates
 * and limits as usual. Edges and players keep one URL per Space wherever it is placed; after
 * a takeover the next request reaches the new owner. Proxying, not redirecting: a redirect
 * would put media node addresses in cached playlists and in WHIP Location headers.
 */
export async function mediaProxyRoutes(
  app: FastifyInstance,
  deps: { locator: MediaLocator; placementWaitMs?: number; takeoverWaitMs?: number },
): Promise<void> {
  await app.register(replyFrom, {
    undici: {
      connections: 256,
      pipelining: 1,
      // LL-HLS blocking playlist reloads are held open by the origin for up to ~3 part targets.
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
      keepAliveTimeout: 10_000,
    },
  });
  // WHIP and WHEP bodies are SDP: forwarded as they came.
  app.addContentTypeParser(
    ["application/sdp", "application/trickle-ice-sdpfrag"],
    { parseAs: "string", bodyLimit: 64 * 1024 },
    (_request, body, done) => done(null, body),
  );

  const unreachable = () =>
    new AmphiError("AMPHI_NOT_READY", {
      message: "The Space's audio is moving to another server; try again in a moment.",
      retryAfter: 1,
    });

  const forward = async (request: FastifyRequest, reply: FastifyReply, waitMs: number) => {
    const { id } = request.params as { id?: string };
    if (!id || !spaceIdPattern.test(id)) throw new AmphiError("AMPHI_STREAM_NOT_FOUND");
    const owner = await deps.locator.waitForOwner(id, waitMs);
    if (!owner) throw new AmphiError("AMPHI_STREAM_NOT_FOUND");
    const send = (to: MediaLease, mayRetry: boolean): FastifyReply =>
      reply.from(`${to.url}${request.url}`, {
        // The media node checks the Origin of cookie-carrying requests against the Host the
        // browser used: keep it (the caller's other headers, X-Forwarded-For included, go as
        // they came).
        rewriteRequestHeaders: (original, headers) => ({
          ...headers,
          ...(original.headers.host ? { host: original.headers.host } : {}),
        }),
        onError: (failed, { error }) => {
          // The owner died or is unreachable: the next request looks the owner up again.
          deps.locator.forget(id);
          request.log.warn({ err: error, spaceId: id, owner: to.name }, "media proxy failed");
          // A listener's GET waits for the node that takes the Space over (its lease lapses
          // within LEASE_TTL): the takeover costs them a slow answer, not an error. WHIP and
          // WHEP are not repeated here; their clients post again by themselves.
          if (mayRetry && request.method === "GET") {
            deps.locator.waitForOwner(id, deps.takeoverWaitMs ?? 4_000, to).then(
              (next) => {
                if (next) send(next, false);
                else sendError(failed as unknown as FastifyReply, unreachable());
              },
              () => sendError(failed as unknown as FastifyReply, unreachable()),
            );
            return;
          }
          sendError(failed as unknown as FastifyReply, unreachable());
        },
      });
    return send(owner, true);
  };

  const hide = { schema: { hide: true } };
  const wait = deps.placementWaitMs ?? 3_000;
  // Listeners: a Space that just went live may take a moment to be placed; wait briefly.
  app.get("/hls/:id/*", hide, (request, reply) => forward(request, reply, wait));
  for (const prefix of ["/whip", "/whep"]) {
    for (const path of [`${prefix}/:id`, `${prefix}/:id/*`]) {
      app.route({
        method: ["OPTIONS", "POST", "DELETE", "PATCH"],
        url: path,
        ...hide,
        handler: (request, reply) => forward(request, reply, wait),
      });
    }
  }
}
