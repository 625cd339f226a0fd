import { afterEach, describe, expect, it } from "vitest";
import type { RTCPeerConnection } from "werift";
import {
  type PeerCloseReason,
  type PeerSessionRequest,
  type PeerSessionSettings,
  PeerSessions,
} from "./peer-sessions.ts";
import { chromiumPublisherOffer } from "./sdp-samples.ts";
import { WhipError } from "./whip-errors.ts";

/** A kind that only receives: the lifecycle alone, with the peers it made and what ended. */
function makeSessions(settings: PeerSessionSettings = {}) {
  const peers: RTCPeerConnection[] = [];
  const ended: Array<[string, PeerCloseReason]> = [];
  const sessions = new PeerSessions<{ label: string }>(settings, {
    serves: "speakers",
    direction: "recvonly",
    tickMs: 20,
    ended: (session, reason) => ended.push([session.media.label, reason]),
  });
  all.push(sessions);
  const create = (label: string, request: Partial<PeerSessionRequest> = {}) =>
    sessions.create(
      { spaceId: "space-1", speakerId: "alice", offerSdp: chromiumPublisherOffer, ...request },
      () => ({
        sections: 1,
        media: { label },
        wire: (_session, pc) => peers.push(pc),
        answered: () => ({}),
      }),
    );
  return { sessions, create, peers, ended };
}

const all: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(all.splice(0).map((sessions) => sessions.close()));
});

describe("PeerSessions", () => {
  it("replaces a live session of the same speaker when asked, closing its peer first", async () => {
    const { sessions, create, peers, ended } = makeSessions();
    const first = await create("first");
    const second = await create("second", { replace: true });
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(ended).toEqual([["first", "replaced"]]);
    // The old peer is closed by the time the new answer is returned: nothing leaks.
    expect(peers.map((pc) => pc.signalingState)).toEqual(["closed", "stable"]);
    expect(sessions.get(first.sessionId)).toBeUndefined();
    expect(sessions.of("space-1", "alice")?.id).toBe(second.sessionId);
    expect(sessions.list()).toHaveLength(1);
  });

  it("lets the later of two offers win when both replace, and leaves one peer open", async () => {
    const { sessions, create, peers } = makeSessions();
    const [first, second] = await Promise.allSettled([
      create("first", { replace: true }),
      create("second", { replace: true }),
    ]);
    expect(first).toMatchObject({
      status: "rejected",
      reason: { code: "AMPHI_WHIP_UNAVAILABLE", status: 503 },
    });
    expect(second.status).toBe("fulfilled");
    expect(sessions.list().map((session) => session.media.label)).toEqual(["second"]);
    await expect.poll(() => peers.map((pc) => pc.signalingState)).toEqual(["closed", "stable"]);
  });

  it("refuses a live session's speaker without replace, and keeps the live one", async () => {
    const { sessions, create, ended } = makeSessions();
    const first = await create("first");
    const error = await create("second").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhipError);
    expect(error).toMatchObject({
      code: "AMPHI_WHIP_SESSION_EXISTS",
      details: { sessionId: first.sessionId },
    });
    expect(sessions.get(first.sessionId)?.state).toBe("connecting");
    expect(ended).toEqual([]);
  });

  it("keeps the live session when a replacing offer is refused before set-up", async () => {
    const { sessions, create } = makeSessions();
    const first = await create("first");
    const refused = sessions.create(
      { spaceId: "space-1", speakerId: "alice", offerSdp: "junk", replace: true },
      () => {
        throw new WhipError("AMPHI_WHIP_BAD_OFFER");
      },
    );
    await expect(refused).rejects.toMatchObject({ status: 400 });
    expect(sessions.get(first.sessionId)?.state).toBe("connecting");
  });

  it("forgets a session whose set-up failed without reporting it, and closes its peer", async () => {
    const { sessions, peers, ended } = makeSessions();
    const failing = sessions.create(
      { spaceId: "space-1", speakerId: "alice", offerSdp: chromiumPublisherOffer },
      () => ({
        sections: 1,
        media: { label: "broken" },
        wire: (_session, pc) => peers.push(pc),
        answered: () => {
          throw new WhipError("AMPHI_WHIP_BAD_OFFER", "no such slot");
        },
      }),
    );
    await expect(failing).rejects.toMatchObject({ message: "no such slot" });
    expect(sessions.list()).toEqual([]);
    expect(ended).toEqual([]);
    await expect.poll(() => peers[0]?.signalingState).toBe("closed");
  });

  it("runs a session's unsubscribers when it ends, and at once once it has", async () => {
    const { sessions, create } = makeSessions();
    const { sessionId } = await create("first");
    const session = sessions.get(sessionId);
    if (!session) throw new Error("no session");
    const calls: string[] = [];
    sessions.untilEnd(session, () => calls.push("while live"));
    expect(calls).toEqual([]);
    await sessions.delete(sessionId, "alice");
    expect(calls).toEqual(["while live"]);
    sessions.untilEnd(session, () => calls.push("after the end"));
    expect(calls).toEqual(["while live", "after the end"]);
  });

  it("fails a session that does not connect in time, and a new offer replaces it", async () => {
    const { sessions, create, ended } = makeSessions({ connectTimeoutMs: 50 });
    const first = await create("first");
    await expect.poll(() => sessions.get(first.sessionId)?.state).toBe("failed");
    expect(ended).toEqual([["first", "connect-timeout"]]);
    await create("second");
    expect(sessions.list().map((session) => session.media.label)).toEqual(["second"]);
    expect(ended).toEqual([["first", "connect-timeout"]]);
  });
});
