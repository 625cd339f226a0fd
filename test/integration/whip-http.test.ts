/**
 * WHIP over HTTP (RFC 9725) with WhipIngest behind a bare fastify app defined here: the wiring
 * the real routes need (application/sdp body, Bearer auth, 201 + Location + ETag, DELETE on the
 * Location, OPTIONS with Accept-Post, 405 / 415 / 501), exercised by the test WHIP client.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isWhipError,
  MAX_OFFER_BYTES,
  WhipError,
  WhipIngest,
  type WhipRtpPacket,
} from "../../src/media/whip/index.ts";
import { chromiumPublisherOffer } from "../../src/media/whip/sdp-samples.ts";
import {
  decodeOpus,
  startTonePublisher,
  type TonePublisher,
  toneAmplitude,
  WhipHttpError,
  whipHttpSignal,
} from "../support/whip-client.ts";

/** Stand-in for the real auth: the Bearer token is the speaker id. */
function speakerOf(request: FastifyRequest): string {
  const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "");
  if (!match?.[1]) throw Object.assign(new Error("Log in"), { statusCode: 401 });
  return match[1];
}

function whipRoutes(ingest: WhipIngest) {
  return async (app: FastifyInstance): Promise<void> => {
    // SDP bodies (and trickle-ICE fragments, so PATCH gets its 501, not fastify's 415) as text.
    app.addContentTypeParser(
      ["application/sdp", "application/trickle-ice-sdpfrag"],
      { parseAs: "string", bodyLimit: MAX_OFFER_BYTES },
      (_request, body, done) => done(null, body),
    );
    app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
      if (isWhipError(error)) {
        return reply.code(error.status).send({
          error: { code: error.code, message: error.message, details: error.details },
        });
      }
      return reply.code(error.statusCode ?? 500).send({ error: { message: error.message } });
    });
    const cors = (reply: FastifyReply) =>
      reply
        .header("access-control-allow-origin", "*")
        .header("access-control-expose-headers", "Location, ETag, Link");

    app.options("/whip/:spaceId", async (_request, reply) =>
      cors(reply)
        .header("accept-post", "application/sdp")
        .header("access-control-allow-methods", "OPTIONS, POST")
        .header("access-control-allow-headers", "Authorization, Content-Type")
        .code(204)
        .send(),
    );
    app.post<{ Params: { spaceId: string } }>("/whip/:spaceId", async (request, reply) => {
      const speakerId = speakerOf(request);
      // (The real route checks here that the Space is live and the speaker on its stage.)
      const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
      if (type !== "application/sdp" || typeof request.body !== "string") {
        throw new WhipError("AMPHI_WHIP_NOT_SDP");
      }
      const { spaceId } = request.params;
      const created = await ingest.createSession({ spaceId, speakerId, offerSdp: request.body });
      return cors(reply)
        .code(201)
        .type("application/sdp")
        .header("location", `/whip/${spaceId}/sessions/${created.sessionId}`)
        .header("etag", created.etag)
        .send(created.answerSdp);
    });
    app.delete<{ Params: { sessionId: string } }>(
      "/whip/:spaceId/sessions/:sessionId",
      async (request, reply) => {
        await ingest.deleteSession(request.params.sessionId, speakerOf(request));
        return cors(reply).code(200).send();
      },
    );
    app.patch("/whip/:spaceId/sessions/:sessionId", async () => {
      throw new WhipError("AMPHI_WHIP_PATCH_UNSUPPORTED");
    });
    // RFC 9725: other methods are reserved.
    const notAllowed = (allow: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.code(405).header("allow", allow).send();
    app.route({
      method: ["GET", "PUT", "DELETE", "PATCH"],
      url: "/whip/:spaceId",
      handler: notAllowed("OPTIONS, POST"),
    });
    app.route({
      method: ["GET", "PUT", "POST"],
      url: "/whip/:spaceId/sessions/:sessionId",
      handler: notAllowed("PATCH, DELETE"),
    });
  };
}

describe("WHIP over HTTP", () => {
  const packets: WhipRtpPacket[] = [];
  const ingest = new WhipIngest({ onRtp: (_space, _speaker, packet) => packets.push(packet) });
  const app = Fastify();
  let endpoint: string;
  let alice: TonePublisher | undefined;

  beforeAll(async () => {
    await app.register(whipRoutes(ingest));
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    endpoint = `${address}/whip/space-http`;
  });

  afterAll(async () => {
    await alice?.stop({ end: false });
    await ingest.close();
    await app.close();
  });

  it("publishes through POST (201, Location, ETag) and ends with DELETE on the Location", async () => {
    alice = await startTonePublisher({ frequency: 440, signal: whipHttpSignal(endpoint, "alice") });
    expect(alice.session.etag).toMatch(/^"[\w-]+"$/);
    expect(alice.session.sessionUrl).toBe(`${endpoint}/sessions/${alice.session.sessionId}`);
    expect(alice.session.sessionId).toMatch(/^[\w-]{24}$/);
    await expect.poll(() => packets.length, { timeout: 5000 }).toBeGreaterThanOrEqual(60);
    const pcm = decodeOpus(packets.slice(5, 60).map((p) => p.payload));
    expect(toneAmplitude(pcm, 440)).toBeGreaterThan(4000);

    // Someone else cannot end it; its owner can, once.
    const sessionUrl = alice.session.sessionUrl ?? "";
    const foreign = await fetch(sessionUrl, {
      method: "DELETE",
      headers: { authorization: "Bearer bob" },
    });
    expect(foreign.status).toBe(404);
    await alice.stop();
    alice = undefined;
    expect(ingest.sessions()).toEqual([]);
    const again = await fetch(sessionUrl, {
      method: "DELETE",
      headers: { authorization: "Bearer alice" },
    });
    expect(again.status).toBe(404);
  });

  it("answers the errors RFC 9725 asks for", async () => {
    const post = (body: string, headers: Record<string, string>) =>
      fetch(endpoint, { method: "POST", body, headers });
    const sdp = { "content-type": "application/sdp", authorization: "Bearer carol" };
    expect((await post(chromiumPublisherOffer, { "content-type": "application/sdp" })).status).toBe(
      401,
    );
    const json = await post(JSON.stringify({ sdp: "v=0" }), {
      ...sdp,
      "content-type": "application/json",
    });
    expect(json.status).toBe(415);
    expect(((await json.json()) as any).error.code).toBe("AMPHI_WHIP_NOT_SDP");
    const bad = await post("v=0\r\nhello\r\n", sdp);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe("AMPHI_WHIP_BAD_OFFER");
    const tooBig = await post(`v=0\r\n${"a=x\r\n".repeat(MAX_OFFER_BYTES / 4)}`, sdp);
    expect(tooBig.status).toBe(413);

    const first = await post(chromiumPublisherOffer, sdp);
    expect(first.status).toBe(201);
    const second = await post(chromiumPublisherOffer, sdp);
    expect(second.status).toBe(409);
    const conflict = (await second.json()) as any;
    expect(conflict.error.code).toBe("AMPHI_WHIP_SESSION_EXISTS");
    expect(first.headers.get("location")).toContain(conflict.error.details.sessionId);

    const sessionUrl = new URL(first.headers.get("location") ?? "", endpoint).toString();
    const patch = await fetch(sessionUrl, {
      method: "PATCH",
      headers: { "content-type": "application/trickle-ice-sdpfrag", "if-match": "*" },
      body: "a=ice-ufrag:x\r\na=ice-pwd:y\r\n",
    });
    expect(patch.status).toBe(501);
    expect((await fetch(endpoint)).status).toBe(405);
    expect((await fetch(sessionUrl)).status).toBe(405);
    const options = await fetch(endpoint, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("accept-post")).toBe("application/sdp");

    await expect(
      startTonePublisher({ frequency: 440, signal: whipHttpSignal(endpoint, "carol") }),
    ).rejects.toBeInstanceOf(WhipHttpError);
  });
});
