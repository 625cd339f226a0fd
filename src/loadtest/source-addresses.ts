import type { ClientKind } from "./scenarios/scenario.ts";

/**
 * A distinct IPv4 loopback source address per client, so the server's per-address and
 * per-/24 limits see a crowd of different people, as in production, instead of one very busy
 * address. Listeners use 127.1-63.x.x and hostile clients 127.64-254.x.x (never .0 or .255 in
 * the last two octets). Consecutive clients land in different /24s (16,002 of them for
 * listeners, 48,514 for hostile clients) before any /24 gets a second one: a real audience
 * comes from many networks, and a /24 holding 254 listeners would trip per-prefix limits no
 * real crowd trips. Linux answers on all of 127.0.0.0/8 without configuration.
 */
export function sourceAddressFor(kind: ClientKind, ordinal: number): string {
  const [firstSecond, seconds] = kind === "listener" ? [1, 63] : [64, 191];
  const networks = seconds * 254;
  const network = ordinal % networks;
  const second = firstSecond + Math.floor(network / 254);
  const third = 1 + (network % 254);
  const fourth = 1 + (Math.floor(ordinal / networks) % 254);
  return `127.${second}.${third}.${fourth}`;
}

/** Whether a URL's host is an IPv4 loopback address, where source addresses can be spread. */
export function isLoopbackTarget(url: URL): boolean {
  // Not "localhost": it may resolve to ::1, which a 127.x.y.z source address cannot reach.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname);
}
