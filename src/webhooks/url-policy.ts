import ipaddr from "ipaddr.js";

/**
 * Which addresses a webhook may be sent to (server-side request forgery: a host must not make
 * Amphi call into its own network). Pure; the delivery client applies `checkAddress` to every
 * address a name resolves to, at each attempt, so a name that later points inside is caught.
 */

export interface UrlPolicy {
  /** Allow loopback receivers (127.0.0.0/8, ::1, localhost), over http too: tests, one machine. */
  allowLoopback: boolean;
}

export type UrlRefusal =
  | "not_a_url"
  | "not_https"
  | "credentials"
  | "loopback"
  | "private_address"
  | "unresolvable";

export type Checked<T> =
  | { ok: true; value: T }
  | { ok: false; reason: UrlRefusal; message: string };

const refuse = (reason: UrlRefusal, message: string) => ({ ok: false, reason, message }) as const;

/**
 * Only public unicast addresses: no private, loopback, link-local (169.254.169.254, the cloud
 * metadata service), carrier-grade NAT (100.64/10, another metadata address), unique-local
 * (fd00::/8), multicast, reserved, or IPv6 forms that embed an IPv4 address (6to4, NAT64).
 */
export function checkAddress(address: string, policy: UrlPolicy): Checked<string> {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address); // IPv4-mapped IPv6 becomes IPv4
  } catch {
    return refuse("not_a_url", `${address} is not an IP address.`);
  }
  const range = parsed.range();
  if (range === "unicast") return { ok: true, value: parsed.toString() };
  if (range === "loopback") {
    return policy.allowLoopback
      ? { ok: true, value: parsed.toString() }
      : refuse("loopback", "Webhooks cannot be sent to this server's own machine.");
  }
  return refuse(
    "private_address",
    `Webhooks go to public addresses only (${parsed.toString()} is ${range}).`,
  );
}

function isLoopbackName(hostname: string): boolean {
  const name = hostname.replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

/** An IP literal in a URL's hostname (IPv6 without its brackets), or null for a name. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

/**
 * The URL an endpoint may have: https (http only to loopback, where allowed), no credentials,
 * and, when the host is an IP literal, an address `checkAddress` accepts. Names are checked
 * again once resolved.
 */
export function checkWebhookUrl(text: string, policy: UrlPolicy): Checked<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse("not_a_url", "This is not a URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return refuse("not_https", "Webhook URLs start with https://.");
  }
  if (url.username || url.password) {
    return refuse("credentials", "Put no user name or password in the URL.");
  }
  const literal = literalAddress(url.hostname);
  let loopback = isLoopbackName(url.hostname);
  if (literal !== null) {
    const checked = checkAddress(literal, policy);
    if (!checked.ok) return checked;
    loopback = ipaddr.process(literal).range() === "loopback";
  } else if (loopback && !policy.allowLoopback) {
    return refuse("loopback", "Webhooks cannot be sent to this server's own machine.");
  }
  if (url.protocol === "http:" && !loopback) {
    return refuse("not_https", "Webhook URLs start with https://.");
  }
  return { ok: true, value: url };
}
