import ipaddr from "ipaddr.js";

/**
 * The two keys a client is counted under:
 * - `address`: one IPv4 address, or one IPv6 /64 (a single host or LAN usually owns a whole
 *   /64, so limiting single IPv6 addresses would be free to evade);
 * - `prefix`: the IPv4 /24 or IPv6 /48 around it (one hosting customer or site), so rotating
 *   addresses inside a block does not multiply a budget.
 * IPv4-mapped IPv6 addresses (`::ffff:203.0.113.7`, what a dual-stack socket reports) count as
 * the IPv4 address they carry.
 */
export interface NetworkKeys {
  address: string;
  prefix: string;
  /** The parsed address, for exemption checks; null when the input did not parse. */
  parsed: ipaddr.IPv4 | ipaddr.IPv6 | null;
}

/**
 * Something that is not an IP address (should not happen behind a correct TRUST_PROXY) is
 * counted under one shared key, never left unlimited.
 */
const unparsed: NetworkKeys = { address: "unparsed", prefix: "unparsed", parsed: null };

export function networkKeys(ip: string): NetworkKeys {
  if (!ipaddr.isValid(ip)) return unparsed;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === "ipv4") {
    const [a, b, c, d] = (parsed as ipaddr.IPv4).octets;
    return { address: `${a}.${b}.${c}.${d}`, prefix: `${a}.${b}.${c}.0/24`, parsed };
  }
  const parts = (parsed as ipaddr.IPv6).parts.map((p) => p.toString(16));
  return {
    address: `${parts.slice(0, 4).join(":")}::/64`,
    prefix: `${parts.slice(0, 3).join(":")}::/48`,
    parsed,
  };
}

/** Parses CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`, or a bare address) once. */
export function parseRanges(cidrs: readonly string[]): [ipaddr.IPv4 | ipaddr.IPv6, number][] {
  return cidrs.map((cidr) => {
    if (cidr.includes("/")) return ipaddr.parseCIDR(cidr);
    const address = ipaddr.process(cidr);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  });
}

export function inRanges(
  address: ipaddr.IPv4 | ipaddr.IPv6,
  ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][],
): boolean {
  return ranges.some(
    ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
  );
}
