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

/** A dotted quad as sockets report it: decimal, no leading zeros. */
const plainIPv4 =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function networkKeys(ip: string): NetworkKeys {
  // Every ticket request comes through here, nearly always with a plain IPv4 address: that
  // one is read with one regex instead of ipaddr's general parser (octal, hex and short
  // forms; it parsed each address three times here, ~1 µs). The keys are the same.
  if (plainIPv4.test(ip)) {
    const octets = ip.split(".").map(Number);
    return {
      address: ip,
      prefix: `${octets[0]}.${octets[1]}.${octets[2]}.0/24`,
      parsed: new ipaddr.IPv4(octets),
    };
  }
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(ip);
  } catch {
    return unparsed;
  }
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
