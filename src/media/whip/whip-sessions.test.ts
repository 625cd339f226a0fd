import { afterEach, describe, expect, it } from "vitest";
import { parseSdp } from "./sdp-offer.ts";
import { chromiumPublisherOffer, nonOpusPublisherOffer } from "./sdp-samples.ts";
import { WhipError } from "./whip-errors.ts";
import { type WhipCloseReason, WhipIngest, type WhipIngestOptions } from "./whip-sessions.ts";

const ingests: WhipIngest[] = [];

function makeIngest(options: Partial<WhipIngestOptions> = {}): WhipIngest {
  const ingest = new WhipIngest({ onRtp: () => {}, ...options });
  ingests.push(ingest);
  return ingest;
}

afterEach(async () => {
  await Promise.all(ingests.splice(0).map((ingest) => ingest.close()));
});

async function errorOf(promise: Promise<unknown>): Promise<WhipError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WhipError) return error;
    throw error;
  }
  throw new Error("expected a WhipError");
}

const request = (speakerId = "alice", offerSdp = chromiumPublisherOffer) => ({
  spaceId: "space-1",
  speakerId,
  offerSdp,
});

describe("WhipIngest (no client)", () => {
  it("answers a Chromium offer: recvonly Opus, all loopback candidates, an ETag", async () => {
    const ingest = makeIngest();
    const created = await ingest.createSession(request());
    expect(created.sessionId).toMatch(/^[\w-]{24}$/);
    expect(created.etag).toMatch(/^"[\w-]+"$/);
    const answer = parseSdp(created.answerSdp);
    expect(answer.media).toHaveLength(1);
    const [audio] = answer.media;
    expect(audio?.direction).toBe("recvonly");
    expect(audio?.rtpMaps.map((map) => `${map.payloadType} ${map.encoding}`)).toEqual(["111 opus"]);
    const candidates = audio?.attributes.get("candidate") ?? [];
    expect(candidates.length).toBe(1);
    expect(candidates[0]).toContain(" 127.0.0.1 ");
    expect(audio?.attributes.has("end-of-candidates")).toBe(true);
    expect(ingest.session(created.sessionId)).toMatchObject({
      spaceId: "space-1",
      speakerId: "alice",
      state: "connecting",
      packetsReceived: 0,
    });
  });

  it("announces the configured host addresses", async () => {
    const ingest = makeIngest({ network: { hostAddresses: ["127.0.0.1", "198.51.100.7"] } });
    const { answerSdp } = await ingest.createSession(request());
    const candidates = parseSdp(answerSdp).media[0]?.attributes.get("candidate") ?? [];
    expect(candidates.map((c) => c.split(" ")[4]).sort()).toEqual(["127.0.0.1", "198.51.100.7"]);
  });

  it("refuses bad offers with typed errors and keeps no session", async () => {
    const ingest = makeIngest();
    expect(await errorOf(ingest.createSession(request("a", "hello")))).toMatchObject({
      code: "AMPHI_WHIP_BAD_OFFER",
      status: 400,
    });
    expect(await errorOf(ingest.createSession(request("a", nonOpusPublisherOffer)))).toMatchObject({
      code: "AMPHI_WHIP_NOT_OPUS",
      status: 415,
    });
    expect(ingest.sessions()).toEqual([]);
  });

  it("refuses a second session of the same speaker, even concurrently, with its id", async () => {
    const ingest = makeIngest();
    const results = await Promise.allSettled([
      ingest.createSession(request()),
      ingest.createSession(request()),
    ]);
    const [first, second] = results;
    expect(first?.status).toBe("fulfilled");
    expect(second?.status).toBe("rejected");
    const sessionId = first?.status === "fulfilled" ? first.value.sessionId : "";
    const error = second?.status === "rejected" ? second.reason : undefined;
    expect(error).toMatchObject({ code: "AMPHI_WHIP_SESSION_EXISTS", status: 409 });
    expect(error.details).toEqual({ sessionId });
    // Other speakers, and the same speaker in another Space, are independent.
    await ingest.createSession(request("bob"));
    await ingest.createSession({ ...request(), spaceId: "space-2" });
    expect(ingest.sessions("space-1")).toHaveLength(2);
  });

  it("replaces the speaker's live session when asked (a reconnection), ending it as replaced", async () => {
    const ended: Array<[string, WhipCloseReason]> = [];
    const ingest = makeIngest({
      onSessionEnded: (session, reason) => ended.push([session.sessionId, reason]),
    });
    const first = await ingest.createSession(request());
    const second = await ingest.createSession({ ...request(), replace: true });
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(ended).toEqual([[first.sessionId, "replaced"]]);
    expect(ingest.session(first.sessionId)).toBeUndefined();
    expect(ingest.sessionOf("space-1", "alice")).toMatchObject({
      sessionId: second.sessionId,
      state: "connecting",
    });
    expect(await errorOf(ingest.deleteSession(first.sessionId, "alice"))).toMatchObject({
      status: 404,
    });
  });

  it("deletes only the speaker's own session", async () => {
    const ended: WhipCloseReason[] = [];
    const ingest = makeIngest({ onSessionEnded: (_session, reason) => ended.push(reason) });
    const { sessionId } = await ingest.createSession(request());
    expect(await errorOf(ingest.deleteSession(sessionId, "mallory"))).toMatchObject({
      code: "AMPHI_WHIP_SESSION_NOT_FOUND",
      status: 404,
    });
    expect(await errorOf(ingest.deleteSession("nope", "alice"))).toMatchObject({ status: 404 });
    await ingest.deleteSession(sessionId, "alice");
    expect(ingest.session(sessionId)).toBeUndefined();
    expect(ended).toEqual(["deleted"]);
    await ingest.createSession(request());
  });

  it("fails a session that never connects, and lets the speaker replace it", async () => {
    const ended: WhipCloseReason[] = [];
    const ingest = makeIngest({
      connectTimeoutMs: 100,
      onSessionEnded: (_session, reason) => ended.push(reason),
    });
    const { sessionId } = await ingest.createSession(request());
    await expect.poll(() => ingest.session(sessionId)?.state, { timeout: 3000 }).toBe("failed");
    expect(ended).toEqual(["connect-timeout"]);
    const again = await ingest.createSession(request());
    expect(again.sessionId).not.toBe(sessionId);
    expect(ingest.session(sessionId)).toBeUndefined();
    // The failed one can still be deleted by its owner until it is replaced.
    await expect
      .poll(() => ingest.session(again.sessionId)?.state, { timeout: 3000 })
      .toBe("failed");
    await ingest.deleteSession(again.sessionId, "alice");
  });

  it("closes speakers and Spaces, and refuses new sessions once closed", async () => {
    const ingest = makeIngest();
    await ingest.createSession(request("a"));
    await ingest.createSession(request("b"));
    await ingest.createSession({ ...request("c"), spaceId: "space-2" });
    expect(await ingest.closeSpeaker("space-1", "a")).toBe(true);
    expect(await ingest.closeSpeaker("space-1", "a")).toBe(false);
    expect(await ingest.closeSpace("space-1")).toBe(1);
    expect(ingest.sessions().map((s) => s.speakerId)).toEqual(["c"]);
    await ingest.close();
    expect(ingest.sessions()).toEqual([]);
    expect(await errorOf(ingest.createSession(request()))).toMatchObject({
      code: "AMPHI_WHIP_UNAVAILABLE",
      status: 503,
    });
  });

  it("refuses sessions beyond maxSessions", async () => {
    const ingest = makeIngest({ maxSessions: 1 });
    await ingest.createSession(request("a"));
    expect(await errorOf(ingest.createSession(request("b")))).toMatchObject({ status: 503 });
  });
});
