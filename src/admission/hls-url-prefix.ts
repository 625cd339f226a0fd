/**
 * The signed prefix of LL-HLS URLs (`/hls/<space>/<expires>/<signature>/`, made by
 * hls-url-signer.ts), read and swapped without crypto: the web player and the load test's
 * listeners use it to send each request under the newest prefix their heartbeats handed out,
 * so a stream never runs past its URL's window. Pure; no Node imports (the web app uses it).
 */
const signedPrefix = /\/hls\/([A-Za-z0-9_-]{1,40})\/([0-9]{1,12})\/([A-Za-z0-9_-]{22})\//;

export interface SignedHlsPrefix {
  spaceId: string;
  /** Unix seconds. */
  expires: number;
  /** `/hls/<space>/<expires>/<signature>/` */
  prefix: string;
}

/** The signed prefix in a path or URL, or null when it has none. */
export function signedHlsPrefixOf(url: string): SignedHlsPrefix | null {
  const match = signedPrefix.exec(url);
  if (!match) return null;
  const [prefix = "", spaceId = "", expires = ""] = match;
  return { spaceId, expires: Number(expires), prefix };
}

/**
 * `url` under the prefix of `newest` (a playlist URL from a ticket or a heartbeat) when both
 * are signed for the same Space and `newest` lasts longer; `url` unchanged otherwise.
 */
export function withNewestPrefix(url: string, newest: string | null | undefined): string {
  if (!newest) return url;
  const from = signedHlsPrefixOf(url);
  const to = signedHlsPrefixOf(newest);
  if (!from || !to || from.spaceId !== to.spaceId || to.expires <= from.expires) return url;
  return url.replace(from.prefix, to.prefix);
}
