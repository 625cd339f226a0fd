/**
 * Resolves an address the server gave (`/api/...`, `/hls/.../index.m3u8`) against the URL the
 * load test targets. A root-relative path is taken relative to the target's path, so an
 * edge that serves Amphi under a prefix (`https://edge/amphi/`) keeps working; absolute and
 * protocol-relative URLs are left as they are.
 */
export function resolveAgainst(target: URL, address: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(address) || address.startsWith("//")) {
    return new URL(address, target);
  }
  const base = target.href.endsWith("/") ? target.href : `${target.href}/`;
  return new URL(address.replace(/^\/+/, ""), new URL(base));
}
