/**
 * Pure checks of the SDP offers Amphi accepts, before werift sees them, so a bad offer gets a
 * precise error (400 / 406 / 415) instead of whatever the WebRTC stack throws:
 * - a publisher (WHIP, RFC 9725) offers exactly one audio track, sendonly or sendrecv, with Opus;
 * - a listener (speaker SFU) offers 1..N audio receive slots, recvonly or sendrecv, with Opus.
 * Both must be DTLS-SRTP with ICE credentials and a certificate fingerprint.
 */
import { WhipError } from "./whip-errors.ts";

/** Larger offers are refused; a 16-slot Chromium offer is about 20 KB. */
export const MAX_OFFER_BYTES = 64 * 1024;

export type SdpDirection = "sendrecv" | "sendonly" | "recvonly" | "inactive";

export interface SdpRtpMap {
  payloadType: number;
  encoding: string;
  clockRate: number;
  channels: number;
}

export interface SdpMediaSection {
  kind: string;
  port: number;
  proto: string;
  formats: number[];
  mid: string | undefined;
  direction: SdpDirection;
  bundleOnly: boolean;
  rtpMaps: SdpRtpMap[];
  candidates: number;
  /** `a=` lines of this section: name -> values ("" for flags). */
  attributes: Map<string, string[]>;
}

export interface ParsedSdp {
  sessionAttributes: Map<string, string[]>;
  media: SdpMediaSection[];
}

const directions = new Set<string>(["sendrecv", "sendonly", "recvonly", "inactive"]);

function badOffer(message: string): WhipError {
  return new WhipError("AMPHI_WHIP_BAD_OFFER", message);
}

function addAttribute(into: Map<string, string[]>, line: string): void {
  const body = line.slice(2);
  const colon = body.indexOf(":");
  const name = colon === -1 ? body : body.slice(0, colon);
  const value = colon === -1 ? "" : body.slice(colon + 1);
  const list = into.get(name);
  if (list) list.push(value);
  else into.set(name, [value]);
}

/** Parses the parts of an SDP that the checks need; throws AMPHI_WHIP_BAD_OFFER when it is not SDP. */
export function parseSdp(sdp: string): ParsedSdp {
  if (typeof sdp !== "string" || sdp.trim() === "") throw badOffer("The offer is empty.");
  if (Buffer.byteLength(sdp, "utf8") > MAX_OFFER_BYTES) {
    throw badOffer(`The offer is larger than ${MAX_OFFER_BYTES} bytes.`);
  }
  const lines = sdp
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== "");
  if (lines[0] !== "v=0") throw badOffer("The offer is not SDP (it must start with v=0).");
  const sessionAttributes = new Map<string, string[]>();
  const media: SdpMediaSection[] = [];
  let current: SdpMediaSection | undefined;
  for (const line of lines) {
    if (!/^[a-z]=/.test(line)) throw badOffer(`Not an SDP line: ${line.slice(0, 40)}`);
    const type = line[0];
    if (type === "m") {
      const match = /^m=(\S+) (\d+)(?:\/\d+)? (\S+)((?: \S+)*)$/.exec(line);
      if (!match) throw badOffer(`Malformed media line: ${line.slice(0, 60)}`);
      const [, kind = "", port = "0", proto = "", formats = ""] = match;
      current = {
        kind,
        port: Number(port),
        proto,
        formats: formats
          .trim()
          .split(" ")
          .filter((f) => /^\d+$/.test(f))
          .map(Number),
        mid: undefined,
        direction: "sendrecv",
        bundleOnly: false,
        rtpMaps: [],
        candidates: 0,
        attributes: new Map(),
      };
      media.push(current);
      continue;
    }
    if (type !== "a") continue;
    if (!current) {
      addAttribute(sessionAttributes, line);
      continue;
    }
    addAttribute(current.attributes, line);
    const body = line.slice(2);
    if (directions.has(body)) current.direction = body as SdpDirection;
    else if (body === "bundle-only") current.bundleOnly = true;
    else if (body.startsWith("mid:")) current.mid = body.slice(4).trim();
    else if (body.startsWith("candidate:")) current.candidates++;
    else if (body.startsWith("rtpmap:")) {
      const rtpmap = /^rtpmap:(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(body);
      if (!rtpmap) throw badOffer(`Malformed rtpmap: ${line.slice(0, 60)}`);
      current.rtpMaps.push({
        payloadType: Number(rtpmap[1]),
        encoding: rtpmap[2] ?? "",
        clockRate: Number(rtpmap[3]),
        channels: rtpmap[4] === undefined ? 1 : Number(rtpmap[4]),
      });
    }
  }
  // A section-level direction overrides the session-level one; only fall back to the latter.
  const sessionDirection = [...sessionAttributes.keys()].find((name) => directions.has(name));
  if (sessionDirection) {
    for (const section of media) {
      if (![...section.attributes.keys()].some((name) => directions.has(name))) {
        section.direction = sessionDirection as SdpDirection;
      }
    }
  }
  return { sessionAttributes, media };
}

/** Sections the offerer wants negotiated: port 0 rejects a section unless it is bundle-only. */
function activeSections(parsed: ParsedSdp): SdpMediaSection[] {
  return parsed.media.filter((section) => section.port !== 0 || section.bundleOnly);
}

function attribute(parsed: ParsedSdp, section: SdpMediaSection, name: string): string | undefined {
  return section.attributes.get(name)?.[0] ?? parsed.sessionAttributes.get(name)?.[0];
}

/** The Opus payload type a section offers, if any. */
export function opusPayloadType(section: SdpMediaSection): number | undefined {
  return section.rtpMaps.find(
    (map) =>
      map.encoding.toLowerCase() === "opus" &&
      map.clockRate === 48000 &&
      section.formats.includes(map.payloadType),
  )?.payloadType;
}

function checkTransport(parsed: ParsedSdp, section: SdpMediaSection): void {
  if (!/SAVPF?$/.test(section.proto)) {
    throw badOffer(
      `Media must be encrypted with DTLS-SRTP (UDP/TLS/RTP/SAVPF), not ${section.proto}.`,
    );
  }
  if (!attribute(parsed, section, "ice-ufrag") || !attribute(parsed, section, "ice-pwd")) {
    throw badOffer("The offer has no ICE credentials (a=ice-ufrag, a=ice-pwd).");
  }
  if (!attribute(parsed, section, "fingerprint")) {
    throw badOffer("The offer has no DTLS certificate fingerprint (a=fingerprint).");
  }
}

export interface PublisherOffer {
  mid: string | undefined;
  opusPayloadType: number;
  direction: SdpDirection;
  candidates: number;
}

/**
 * Checks a WHIP publisher offer: one audio track that is sent (sendonly/sendrecv, RFC 9725 4.2),
 * Opus, DTLS-SRTP. Throws WhipError: AMPHI_WHIP_BAD_OFFER, _UNSUPPORTED_TRACKS or _NOT_OPUS.
 */
export function checkPublisherOffer(sdp: string): PublisherOffer {
  const parsed = parseSdp(sdp);
  const active = activeSections(parsed);
  const audio = active.filter((section) => section.kind === "audio");
  const [track] = audio;
  if (!track) throw badOffer("The offer has no audio track (m=audio).");
  if (audio.length > 1 || active.length > audio.length) {
    const kinds = active.map((section) => section.kind).join(", ");
    throw new WhipError(
      "AMPHI_WHIP_UNSUPPORTED_TRACKS",
      `Publish exactly one audio track and nothing else; the offer has: ${kinds}.`,
    );
  }
  checkTransport(parsed, track);
  if (track.direction !== "sendonly" && track.direction !== "sendrecv") {
    throw badOffer(`The audio track must be sendonly or sendrecv, not ${track.direction}.`);
  }
  const payloadType = opusPayloadType(track);
  if (payloadType === undefined) {
    const offered = track.rtpMaps.map((map) => `${map.encoding}/${map.clockRate}`).join(", ");
    throw new WhipError(
      "AMPHI_WHIP_NOT_OPUS",
      `Audio must be Opus (opus/48000/2); the offer has: ${offered || "no codec"}.`,
    );
  }
  return {
    mid: track.mid,
    opusPayloadType: payloadType,
    direction: track.direction,
    candidates: track.candidates,
  };
}

export interface ListenerOffer {
  slots: Array<{ mid: string; opusPayloadType: number }>;
}

/**
 * Checks a listener (speaker SFU) offer: 1..maxSlots audio sections that receive
 * (recvonly/sendrecv), each with a mid and Opus, DTLS-SRTP. Throws WhipError like
 * checkPublisherOffer.
 */
export function checkListenerOffer(sdp: string, maxSlots: number): ListenerOffer {
  const parsed = parseSdp(sdp);
  const active = activeSections(parsed);
  if (active.length === 0) throw badOffer("The offer has no audio slots (m=audio, recvonly).");
  if (active.some((section) => section.kind !== "audio") || active.length > maxSlots) {
    throw new WhipError(
      "AMPHI_WHIP_UNSUPPORTED_TRACKS",
      `Offer 1 to ${maxSlots} audio receive slots and nothing else; the offer has ${active.length} sections (${[...new Set(active.map((s) => s.kind))].join(", ")}).`,
    );
  }
  const slots: ListenerOffer["slots"] = [];
  const mids = new Set<string>();
  for (const section of active) {
    checkTransport(parsed, section);
    if (section.direction !== "recvonly" && section.direction !== "sendrecv") {
      throw badOffer(`Audio slots must be recvonly (or sendrecv), not ${section.direction}.`);
    }
    if (section.mid === undefined || section.mid === "" || mids.has(section.mid)) {
      throw badOffer("Every audio slot needs its own a=mid.");
    }
    mids.add(section.mid);
    const payloadType = opusPayloadType(section);
    if (payloadType === undefined) {
      throw new WhipError(
        "AMPHI_WHIP_NOT_OPUS",
        "Every audio slot must offer Opus (opus/48000/2).",
      );
    }
    slots.push({ mid: section.mid, opusPayloadType: payloadType });
  }
  return { slots };
}

/**
 * What is wrong with an answer werift produced (a section rejected, Opus lost, wrong direction),
 * as the error to throw, or undefined when it is fine. `direction` is what every audio section
 * must say.
 */
export function answerProblem(
  sdp: string,
  expected: { direction: "recvonly" | "sendonly"; sections: number },
): WhipError | undefined {
  let parsed: ParsedSdp;
  try {
    parsed = parseSdp(sdp);
  } catch {
    return badOffer("No valid answer could be made for this offer.");
  }
  const sections = parsed.media.filter((section) => section.kind === "audio");
  if (sections.length !== expected.sections) {
    return badOffer(`The answer has ${sections.length} audio sections, not ${expected.sections}.`);
  }
  for (const section of sections) {
    if (opusPayloadType(section) === undefined) {
      return new WhipError(
        "AMPHI_WHIP_NOT_OPUS",
        `Opus could not be negotiated (mid ${section.mid}).`,
      );
    }
    if ((section.port === 0 && !section.bundleOnly) || section.direction !== expected.direction) {
      return badOffer(
        `The audio section ${section.mid} could not be accepted (${section.direction}, expected ${expected.direction}).`,
      );
    }
  }
  return undefined;
}
