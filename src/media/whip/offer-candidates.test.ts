import { BlockList } from "node:net";
import { describe, expect, it } from "vitest";
import { filterOfferCandidates, parseCandidateAllow } from "./offer-candidates.ts";
import { chromiumPublisherOffer } from "./sdp-samples.ts";

const none = { allow: new BlockList(), max: 8 };
const candidates = (sdp: string) =>
  sdp.split("\r\n").filter((line) => line.startsWith("a=candidate:"));

function offerWith(lines: string[]): string {
  return chromiumPublisherOffer.replace(
    /(a=candidate:[^\r]*\r\n)+/,
    lines.map((l) => `${l}\r\n`).join(""),
  );
}

describe("filterOfferCandidates", () => {
  it("keeps candidates of the request's own address and drops the rest", () => {
    const out = filterOfferCandidates(chromiumPublisherOffer, "192.0.2.2", none);
    expect(candidates(out.sdp)).toHaveLength(2);
    expect(candidates(out.sdp).every((l) => l.includes(" 192.0.2.2 "))).toBe(true);
    expect(out).toMatchObject({ kept: 2, dropped: 2 });
    // Nothing else changed.
    const others = (sdp: string) => sdp.split("\r\n").filter((l) => !l.startsWith("a=candidate:"));
    expect(others(out.sdp)).toEqual(others(chromiumPublisherOffer));
  });

  it("drops every candidate naming another address, mDNS names and garbage", () => {
    const offer = offerWith([
      "a=candidate:1 1 udp 2122194687 10.0.0.7 5000 typ host",
      "a=candidate:2 1 udp 2122194687 169.254.169.254 80 typ host",
      "a=candidate:3 1 udp 2122194687 3f2c1b7e-1d6a-4b1e-9e9a-000000000000.local 5000 typ host",
      "a=candidate:4 1 udp 2122194687 example.org 53 typ host",
      "a=candidate:5 1 udp 2122194687 127.0.0.2 53 typ host",
      "a=candidate:6",
    ]);
    const out = filterOfferCandidates(offer, "203.0.113.9", none);
    expect(candidates(out.sdp)).toEqual([]);
    expect(out.dropped).toBe(6);
  });

  it("matches IPv4-mapped sources and keeps allowed ranges", () => {
    const offer = offerWith([
      "a=candidate:1 1 udp 1 203.0.113.9 5000 typ srflx raddr 0.0.0.0 rport 0",
      "a=candidate:2 1 udp 1 127.0.0.1 5001 typ host",
      "a=candidate:3 1 udp 1 192.168.1.20 5002 typ host",
      "a=candidate:4 1 udp 1 8.8.8.8 53 typ host",
    ]);
    const loopback = { allow: parseCandidateAllow("loopback"), max: 8 };
    expect(candidates(filterOfferCandidates(offer, "::ffff:203.0.113.9", loopback).sdp)).toEqual([
      "a=candidate:1 1 udp 1 203.0.113.9 5000 typ srflx raddr 0.0.0.0 rport 0",
      "a=candidate:2 1 udp 1 127.0.0.1 5001 typ host",
    ]);
    const lan = { allow: parseCandidateAllow("private, 8.8.8.0/24"), max: 8 };
    expect(filterOfferCandidates(offer, "198.51.100.1", lan).kept).toBe(2);
  });

  it("keeps at most `max` candidates", () => {
    const many = Array.from(
      { length: 50 },
      (_, i) => `a=candidate:${i} 1 udp 1 127.0.0.1 ${5000 + i} typ host`,
    );
    const out = filterOfferCandidates(offerWith(many), "127.0.0.1", { ...none, max: 3 });
    expect(out).toMatchObject({ kept: 3, dropped: 47 });
  });
});

describe("parseCandidateAllow", () => {
  it("reads CIDRs, single addresses, loopback and private; refuses anything else", () => {
    const list = parseCandidateAllow("10.1.0.0/16, 2001:db8::1, loopback");
    expect(list.check("10.1.2.3", "ipv4")).toBe(true);
    expect(list.check("10.2.0.1", "ipv4")).toBe(false);
    expect(list.check("2001:db8::1", "ipv6")).toBe(true);
    expect(list.check("127.9.9.9", "ipv4")).toBe(true);
    expect(parseCandidateAllow("").check("127.0.0.1", "ipv4")).toBe(false);
    expect(() => parseCandidateAllow("anywhere")).toThrow(/anywhere/);
    expect(() => parseCandidateAllow("10.0.0.0/40")).toThrow();
  });
});
