import { describe, expect, it } from "vitest";
import {
  answerProblem,
  checkListenerOffer,
  checkPublisherOffer,
  MAX_OFFER_BYTES,
  parseSdp,
} from "./sdp-offer.ts";
import {
  audioVideoPublisherOffer,
  chromiumListenerOffer,
  chromiumPublisherOffer,
  minimalPublisherOffer,
  nonOpusPublisherOffer,
} from "./sdp-samples.ts";
import { WhipError, type WhipErrorCode, whipErrorRegistry } from "./whip-errors.ts";

function codeOf(run: () => unknown): WhipErrorCode | "no error" {
  try {
    run();
  } catch (error) {
    if (error instanceof WhipError) return error.code;
    throw error;
  }
  return "no error";
}

describe("parseSdp", () => {
  it("reads the media sections of a Chromium offer", () => {
    const parsed = parseSdp(chromiumPublisherOffer);
    expect(parsed.media).toHaveLength(1);
    const [audio] = parsed.media;
    expect(audio).toMatchObject({
      kind: "audio",
      port: 59302,
      proto: "UDP/TLS/RTP/SAVPF",
      formats: [111, 63, 9, 0, 8, 13, 110, 126],
      mid: "0",
      direction: "sendonly",
      bundleOnly: false,
      candidates: 4,
    });
    expect(audio?.rtpMaps[0]).toEqual({
      payloadType: 111,
      encoding: "opus",
      clockRate: 48000,
      channels: 2,
    });
    expect(audio?.attributes.get("ice-ufrag")).toEqual(["XUwu"]);
    expect(parsed.sessionAttributes.get("group")).toEqual(["BUNDLE 0"]);
  });

  it("accepts LF line endings and a session-level direction", () => {
    const sdp = minimalPublisherOffer
      .replaceAll("\r\n", "\n")
      .replace("a=sendonly\n", "")
      .replace("t=0 0\n", "t=0 0\na=sendonly\n");
    expect(parseSdp(sdp).media[0]?.direction).toBe("sendonly");
  });

  it.each([
    ["empty", ""],
    ["JSON", '{"type":"offer","sdp":"v=0"}'],
    ["no version line", "o=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"],
    ["garbage line", "v=0\r\nthis is not sdp\r\n"],
    ["malformed m-line", "v=0\r\nm=audio\r\n"],
    ["too large", `v=0\r\n${"a=x\r\n".repeat(MAX_OFFER_BYTES / 4)}`],
  ])("refuses %s as AMPHI_WHIP_BAD_OFFER", (_name, sdp) => {
    expect(codeOf(() => parseSdp(sdp))).toBe("AMPHI_WHIP_BAD_OFFER");
  });
});

describe("checkPublisherOffer", () => {
  it("accepts a Chromium offer and finds Opus among its codecs", () => {
    expect(checkPublisherOffer(chromiumPublisherOffer)).toEqual({
      mid: "0",
      opusPayloadType: 111,
      direction: "sendonly",
      candidates: 4,
    });
  });

  it("accepts sendrecv, bundle-only with port 0, and a different Opus payload type", () => {
    const sdp = minimalPublisherOffer
      .replace("a=sendonly", "a=sendrecv")
      .replace("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 0 UDP/TLS/RTP/SAVPF 109")
      .replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:109 OPUS/48000/2");
    expect(checkPublisherOffer(sdp)).toMatchObject({ opusPayloadType: 109, direction: "sendrecv" });
  });

  it("refuses an offer without Opus as AMPHI_WHIP_NOT_OPUS (415)", () => {
    let error: unknown;
    try {
      checkPublisherOffer(nonOpusPublisherOffer);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WhipError);
    expect(error).toMatchObject({ code: "AMPHI_WHIP_NOT_OPUS", status: 415 });
    expect((error as Error).message).toContain("G722/8000");
  });

  it("refuses an Opus rtpmap whose payload type is not on the m-line", () => {
    const sdp = chromiumPublisherOffer.replace(
      "m=audio 59302 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
      "m=audio 59302 UDP/TLS/RTP/SAVPF 9 0 8",
    );
    expect(codeOf(() => checkPublisherOffer(sdp))).toBe("AMPHI_WHIP_NOT_OPUS");
  });

  it("refuses audio with video (RFC 9725's example) as AMPHI_WHIP_UNSUPPORTED_TRACKS (406)", () => {
    expect(codeOf(() => checkPublisherOffer(audioVideoPublisherOffer))).toBe(
      "AMPHI_WHIP_UNSUPPORTED_TRACKS",
    );
    const twoAudio =
      minimalPublisherOffer + minimalPublisherOffer.slice(minimalPublisherOffer.indexOf("m=audio"));
    expect(codeOf(() => checkPublisherOffer(twoAudio))).toBe("AMPHI_WHIP_UNSUPPORTED_TRACKS");
  });

  it("ignores a rejected (port 0) video section", () => {
    const sdp = audioVideoPublisherOffer
      .replace("m=video 9", "m=video 0")
      .replace("a=mid:1\r\na=bundle-only", "a=mid:1");
    expect(checkPublisherOffer(sdp).opusPayloadType).toBe(111);
  });

  it.each([
    [
      "no audio (video only)",
      audioVideoPublisherOffer.slice(0, audioVideoPublisherOffer.indexOf("m=audio")) +
        audioVideoPublisherOffer.slice(audioVideoPublisherOffer.indexOf("m=video")),
    ],
    ["recvonly audio", chromiumPublisherOffer.replace("a=sendonly", "a=recvonly")],
    ["inactive audio", chromiumPublisherOffer.replace("a=sendonly", "a=inactive")],
    ["plain RTP", minimalPublisherOffer.replace("UDP/TLS/RTP/SAVPF", "RTP/AVP")],
    ["no ICE password", chromiumPublisherOffer.replace(/a=ice-pwd:.*\r\n/, "")],
    ["no fingerprint", chromiumPublisherOffer.replace(/a=fingerprint:.*\r\n/, "")],
    ["no media at all", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"],
  ])("refuses %s as AMPHI_WHIP_BAD_OFFER (400)", (_name, sdp) => {
    expect(codeOf(() => checkPublisherOffer(sdp))).toBe("AMPHI_WHIP_BAD_OFFER");
  });
});

describe("checkListenerOffer", () => {
  it("accepts a Chromium offer of 12 recvonly slots, in mid order", () => {
    const offer = checkListenerOffer(chromiumListenerOffer(12), 16);
    expect(offer.slots).toHaveLength(12);
    expect(offer.slots.map((slot) => slot.mid)).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i)),
    );
    expect(offer.slots.every((slot) => slot.opusPayloadType === 111)).toBe(true);
  });

  it("refuses more slots than allowed, and non-audio sections, as 406", () => {
    expect(codeOf(() => checkListenerOffer(chromiumListenerOffer(17), 16))).toBe(
      "AMPHI_WHIP_UNSUPPORTED_TRACKS",
    );
    expect(codeOf(() => checkListenerOffer(audioVideoPublisherOffer, 16))).toBe(
      "AMPHI_WHIP_UNSUPPORTED_TRACKS",
    );
  });

  it("refuses sending slots, duplicate mids and slots without Opus", () => {
    expect(codeOf(() => checkListenerOffer(chromiumPublisherOffer, 16))).toBe(
      "AMPHI_WHIP_BAD_OFFER",
    );
    expect(
      codeOf(() => checkListenerOffer(chromiumListenerOffer(2).replace("a=mid:1", "a=mid:0"), 16)),
    ).toBe("AMPHI_WHIP_BAD_OFFER");
    const noOpus = chromiumListenerOffer(2).replaceAll(
      "UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
      "UDP/TLS/RTP/SAVPF 9 0 8",
    );
    expect(codeOf(() => checkListenerOffer(noOpus, 16))).toBe("AMPHI_WHIP_NOT_OPUS");
  });
});

describe("answerProblem", () => {
  const answer = (direction: string, port = 9) =>
    minimalPublisherOffer
      .replace("a=sendonly", `a=${direction}`)
      .replace("m=audio 9", `m=audio ${port}`)
      .replace("a=bundle-only\r\n", "");

  it("accepts a recvonly Opus answer", () => {
    expect(
      answerProblem(answer("recvonly"), { direction: "recvonly", sections: 1 }),
    ).toBeUndefined();
  });

  it("reports a rejected or inactive section, and a lost codec", () => {
    expect(answerProblem(answer("inactive", 0), { direction: "sendonly", sections: 1 })?.code).toBe(
      "AMPHI_WHIP_BAD_OFFER",
    );
    expect(answerProblem(answer("recvonly"), { direction: "recvonly", sections: 2 })?.code).toBe(
      "AMPHI_WHIP_BAD_OFFER",
    );
    const noOpus = answer("recvonly").replace("opus/48000/2", "PCMU/8000");
    expect(answerProblem(noOpus, { direction: "recvonly", sections: 1 })?.code).toBe(
      "AMPHI_WHIP_NOT_OPUS",
    );
  });
});

describe("whipErrorRegistry", () => {
  it("maps the codes to the statuses the HTTP layer answers with", () => {
    const statuses = Object.fromEntries(
      Object.entries(whipErrorRegistry).map(([code, entry]) => [code, entry.status]),
    );
    expect(statuses).toEqual({
      AMPHI_WHIP_BAD_OFFER: 400,
      AMPHI_WHIP_SESSION_NOT_FOUND: 404,
      AMPHI_WHIP_UNSUPPORTED_TRACKS: 406,
      AMPHI_WHIP_SESSION_EXISTS: 409,
      AMPHI_WHIP_NOT_OPUS: 415,
      AMPHI_WHIP_NOT_SDP: 415,
      AMPHI_WHIP_PATCH_UNSUPPORTED: 501,
      AMPHI_WHIP_UNAVAILABLE: 503,
    });
    const error = new WhipError("AMPHI_WHIP_SESSION_EXISTS", undefined, { sessionId: "s" });
    expect(error).toMatchObject({ status: 409, details: { sessionId: "s" } });
    expect(error.message).toBe(whipErrorRegistry.AMPHI_WHIP_SESSION_EXISTS.message);
  });
});
