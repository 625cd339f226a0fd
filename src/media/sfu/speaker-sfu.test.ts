import { afterEach, describe, expect, it } from "vitest";
import { parseSdp } from "../whip/sdp-offer.ts";
import { chromiumListenerOffer, chromiumPublisherOffer } from "../whip/sdp-samples.ts";
import { type SlotInfo, SpeakerSfu, type SpeakerSfuOptions } from "./speaker-sfu.ts";

const sfus: SpeakerSfu[] = [];
function makeSfu(options: SpeakerSfuOptions = {}): SpeakerSfu {
  const sfu = new SpeakerSfu(options);
  sfus.push(sfu);
  return sfu;
}
afterEach(async () => {
  await Promise.all(sfus.splice(0).map((sfu) => sfu.close()));
});

const packet = { seq: 1, timestamp: 960, ssrc: 42, marker: false, payload: new Uint8Array([1]) };
const who = (slots: SlotInfo[] | undefined) => slots?.map((slot) => slot.speakerId);

describe("SpeakerSfu (no client)", () => {
  it("answers a Chromium listener offer with one sendonly Opus section per slot", async () => {
    const sfu = makeSfu();
    const created = await sfu.createListenerSession({
      spaceId: "s",
      speakerId: "alice",
      offerSdp: chromiumListenerOffer(12),
    });
    const answer = parseSdp(created.answerSdp);
    expect(answer.media).toHaveLength(12);
    for (const section of answer.media) {
      expect(section.port).not.toBe(0);
      expect(section.direction).toBe("sendonly");
      expect(section.rtpMaps.map((map) => map.encoding)).toEqual(["opus"]);
      expect(section.attributes.get("ssrc")?.length).toBeGreaterThan(0);
    }
    expect(created.slots).toHaveLength(12);
    expect(created.slots[3]).toEqual({ index: 3, mid: "3", speakerId: null });
  });

  it("refuses publisher offers and a second listener session", async () => {
    const sfu = makeSfu();
    const offer = { spaceId: "s", speakerId: "alice", offerSdp: chromiumPublisherOffer };
    await expect(sfu.createListenerSession(offer)).rejects.toMatchObject({
      code: "AMPHI_WHIP_BAD_OFFER",
    });
    await sfu.createListenerSession({ ...offer, offerSdp: chromiumListenerOffer(2) });
    await expect(
      sfu.createListenerSession({ ...offer, offerSdp: chromiumListenerOffer(2) }),
    ).rejects.toMatchObject({ code: "AMPHI_WHIP_SESSION_EXISTS", status: 409 });
  });

  it("replaces a speaker's listener session when asked: the new one takes over the slots", async () => {
    const ended: string[] = [];
    const sfu = makeSfu({ onSessionEnded: (_session, reason) => ended.push(reason) });
    const offer = { spaceId: "s", speakerId: "alice", offerSdp: chromiumListenerOffer(2) };
    sfu.forward("s", "bob", packet);
    const first = await sfu.createListenerSession(offer);
    const second = await sfu.createListenerSession({ ...offer, replace: true });
    expect(ended).toEqual(["replaced"]);
    expect(who(second.slots)).toEqual(["bob", null]);
    expect(sfu.listenerSession(first.sessionId)).toBeUndefined();
    expect(sfu.listenerSessions().map((session) => session.sessionId)).toEqual([second.sessionId]);
    sfu.forward("s", "carol", packet);
    expect(who(sfu.slots("s", "alice"))).toEqual(["bob", "carol"]);
  });

  it("gives publishers slots (never the listener's own), frees them, and fills freed slots", async () => {
    const changes: Array<[string, Array<string | null>]> = [];
    const sfu = makeSfu({
      onSlotsChanged: (_space, speakerId, slots) => changes.push([speakerId, who(slots) ?? []]),
    });
    sfu.forward("s", "bob", packet); // already publishing when alice opens her session
    const created = await sfu.createListenerSession({
      spaceId: "s",
      speakerId: "alice",
      offerSdp: chromiumListenerOffer(2),
    });
    expect(who(created.slots)).toEqual(["bob", null]);
    sfu.forward("s", "alice", packet); // her own audio: no slot
    sfu.forward("s", "carol", packet);
    sfu.forward("s", "dave", packet); // no free slot: waits
    expect(who(sfu.slots("s", "alice"))).toEqual(["bob", "carol"]);
    expect(sfu.publishers("s")).toEqual(["bob", "alice", "carol", "dave"]);
    sfu.speakerState("s", "bob", "disconnected");
    expect(who(sfu.slots("s", "alice"))).toEqual(["dave", "carol"]);
    expect(changes).toEqual([
      ["alice", ["bob", "carol"]],
      ["alice", ["dave", "carol"]],
    ]);
    // bob is back: the slots are full, so he waits until someone stops.
    sfu.forward("s", "bob", packet);
    await sfu.closeSpeaker("s", "carol");
    expect(who(sfu.slots("s", "alice"))).toEqual(["dave", "bob"]);
    expect(sfu.slots("s", "carol")).toBeUndefined();
  });

  it("closes a speaker's listener session and a Space", async () => {
    const sfu = makeSfu();
    const a = await sfu.createListenerSession({
      spaceId: "s",
      speakerId: "alice",
      offerSdp: chromiumListenerOffer(1),
    });
    await sfu.createListenerSession({
      spaceId: "s",
      speakerId: "bob",
      offerSdp: chromiumListenerOffer(1),
    });
    await expect(sfu.deleteListenerSession(a.sessionId, "bob")).rejects.toMatchObject({
      status: 404,
    });
    expect(await sfu.closeSpeaker("s", "alice")).toBe(true);
    expect(sfu.listenerSession(a.sessionId)).toBeUndefined();
    expect(await sfu.closeSpace("s")).toBe(1);
    expect(sfu.listenerSessions()).toEqual([]);
    expect(sfu.publishers("s")).toEqual([]);
  });
});
