import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AmphiError } from "../../errors/error-registry.ts";
import type { SpeakerSfu } from "../../media/sfu/speaker-sfu.ts";
import { MAX_OFFER_BYTES } from "../../media/whip/sdp-offer.ts";
import { WhipError } from "../../media/whip/whip-errors.ts";
import type { WhipIngest } from "../../media/whip/whip-sessions.ts";
import type { SpacesService } from "../../spaces/spaces-service.ts";
import { spaceParamsSchema } from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";

export interface WhipRouteDeps {
  ingest: WhipIngest;
  sfu: SpeakerSfu;
  spaces: SpacesService;
}

const onStage = new Set(["host", "cohost", "speaker"]);

function cors(reply: FastifyReply): FastifyReply {
  return reply.header("access-control-expose-headers", "Location, ETag, Link");
}

function offerOf(request: FastifyRequest): string {
  const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/sdp" || typeof request.body !== "string")
    throw new WhipError("AMPHI_WHIP_NOT_SDP");
  return request.body;
}

/**
 * WebRTC for people on stage. `POST /whip/:id` (RFC 9725 WHIP) publishes the speaker's
 * microphone; `POST /whep/:id` opens a receive-only connection carrying the other speakers
 * (forwarded, not re-encoded). Both authenticate like the API (Bearer token, or the session
 * cookie from the same origin) and need the caller on the stage of the live Space.
 */
export async function whipRoutes(app: FastifyInstance, deps: WhipRouteDeps): Promise<void> {
  app.addContentTypeParser(
    ["application/sdp", "application/trickle-ice-sdpfrag"],
    { parseAs: "string", bodyLimit: MAX_OFFER_BYTES },
    (_request, body, done) => done(null, body),
  );

  async function speakerIn(
    request: FastifyRequest,
  ): Promise<{ spaceId: string; speakerId: string }> {
    const me = requireAccount(request);
    const params = spaceParamsSchema.safeParse(request.params);
    if (!params.success) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    const snapshot = await deps.spaces.snapshot(params.data.id);
    if (snapshot.space.state !== "live") throw new AmphiError("AMPHI_SPACE_NOT_LIVE");
    const standing = await deps.spaces.standingIn(snapshot, me.id);
    if (standing.standing === "removed") throw new AmphiError("AMPHI_REMOVED_FROM_SPACE");
    if (!onStage.has(standing.standing)) {
      throw new AmphiError("AMPHI_FORBIDDEN", {
        message: "Only people on stage can send or hear stage audio.",
      });
    }
    return { spaceId: params.data.id, speakerId: me.id };
  }

  for (const [prefix, kind] of [
    ["/whip", "publish"],
    ["/whep", "listen"],
  ] as const) {
    app.options(`${prefix}/:id`, { schema: { hide: true } }, async (_request, reply) =>
      cors(reply)
        .header("accept-post", "application/sdp")
        .header("access-control-allow-methods", "OPTIONS, POST")
        .header("access-control-allow-headers", "Authorization, Content-Type")
        .code(204)
        .send(),
    );

    app.post(`${prefix}/:id`, { schema: { hide: true } }, async (request, reply) => {
      const offerSdp = offerOf(request);
      const { spaceId, speakerId } = await speakerIn(request);
      // The same person connecting again (a reload, a second tab, a reconnection) replaces
      // their old session (docs/decisions.md).
      // Its ICE candidates are checked only at the caller's own address (offer-candidates.ts).
      const offer = { spaceId, speakerId, offerSdp, replace: true, sourceAddress: request.ip };
      const created =
        kind === "publish"
          ? await deps.ingest.createSession(offer)
          : await deps.sfu.createListenerSession(offer);
      return cors(reply)
        .code(201)
        .type("application/sdp")
        .header("location", `${prefix}/${spaceId}/sessions/${created.sessionId}`)
        .header("etag", created.etag)
        .send(created.answerSdp);
    });

    app.delete(
      `${prefix}/:id/sessions/:sessionId`,
      { schema: { hide: true } },
      async (request, reply) => {
        const me = requireAccount(request);
        const { sessionId } = request.params as { sessionId: string };
        if (kind === "publish") await deps.ingest.deleteSession(sessionId, me.id);
        else await deps.sfu.deleteListenerSession(sessionId, me.id);
        return cors(reply).code(200).send();
      },
    );

    app.patch(`${prefix}/:id/sessions/:sessionId`, { schema: { hide: true } }, async () => {
      throw new WhipError("AMPHI_WHIP_PATCH_UNSUPPORTED");
    });
  }
}
