/**
 * Which ICE candidates of an offer the media server may send connectivity checks (STUN) to.
 * An offer names any address it likes; applied as it came, it makes the server probe
 * arbitrary hosts and ports (a request forgery at the UDP level). Kept: candidates naming
 * the address the offer came from, or an address the operator allows (loopback for tests,
 * private ranges on a LAN); at most `max` of them. Dropped: every other address and mDNS
 * `.local` names (they would need resolving). The connection does not need the dropped
 * ones: the client's own checks reach the server's candidates and teach it the client's
 * address (a peer-reflexive candidate, RFC 8445 section 7.3.1.3). Pure: no I/O.
 */
import { BlockList, isIP } from "node:net";

export interface CandidatePolicy {
  /** Addresses allowed besides the request's source address. */
  allow: BlockList;
  /** Most candidates kept from one offer. */
  max: number;
}

export interface FilteredOffer {
  sdp: string;
  kept: number;
  dropped: number;
}

/** The ranges of `private` in WEBRTC_CANDIDATE_ALLOW: RFC 1918, CGNAT, ULA, link-local. */
const privateRanges: readonly [string, number, "ipv4" | "ipv6"][] = [
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["fc00::", 7, "ipv6"],
  ["fe80::", 10, "ipv6"],
];
const loopbackRanges: readonly [string, number, "ipv4" | "ipv6"][] = [
  ["127.0.0.0", 8, "ipv4"],
  ["::1", 128, "ipv6"],
];

/**
 * Parses WEBRTC_CANDIDATE_ALLOW: comma-separated CIDRs or single addresses, `loopback`,
 * `private`. Throws on anything else (the configuration is checked at start-up).
 */
export function parseCandidateAllow(text: string): BlockList {
  const list = new BlockList();
  for (const raw of text.split(",")) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    const ranges =
      item === "loopback" ? loopbackRanges : item === "private" ? privateRanges : undefined;
    if (ranges) {
      for (const [address, prefix, type] of ranges) list.addSubnet(address, prefix, type);
      continue;
    }
    const [address = "", prefixText] = item.split("/");
    const version = isIP(address);
    if (version === 0) throw new Error(`not an address or CIDR: ${raw.trim()}`);
    const type = version === 4 ? "ipv4" : "ipv6";
    const prefix = prefixText === undefined ? (version === 4 ? 32 : 128) : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (version === 4 ? 32 : 128)) {
      throw new Error(`not a CIDR: ${raw.trim()}`);
    }
    list.addSubnet(address, prefix, type);
  }
  return list;
}

/** `::ffff:1.2.3.4` is 1.2.3.4; everything else as it is, lower-case. */
function normalize(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

function allowed(address: string, source: string, policy: CandidatePolicy): boolean {
  const a = normalize(address);
  const version = isIP(a);
  if (version === 0) return false; // mDNS .local names, host names, garbage
  if (source && a === normalize(source)) return true;
  return policy.allow.check(a, version === 4 ? "ipv4" : "ipv6");
}

/**
 * The offer with only the candidates the server may check: `a=candidate` lines whose address
 * is `source` (the request's client address) or allowed, at most `policy.max` in all.
 * Everything else in the offer is left as it was.
 */
export function filterOfferCandidates(
  sdp: string,
  source: string,
  policy: CandidatePolicy,
): FilteredOffer {
  const eol = sdp.includes("\r\n") ? "\r\n" : "\n";
  let kept = 0;
  let dropped = 0;
  const lines = sdp.split(/\r?\n/).filter((line) => {
    if (!line.startsWith("a=candidate:")) return true;
    // a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
    const address = line.slice("a=candidate:".length).split(" ")[4] ?? "";
    if (kept < policy.max && allowed(address, source, policy)) {
      kept++;
      return true;
    }
    dropped++;
    return false;
  });
  return { sdp: lines.join(eol), kept, dropped };
}
