import { HlsUrlSigner } from "../../src/admission/hls-url-signer.ts";

/**
 * The HLS_URL_SECRET of test servers, processes and edges (test/support sets it everywhere),
 * so a test can sign the LL-HLS URLs a ticket would give it without asking for one.
 */
export const TEST_HLS_URL_SECRET = "test-hls-url-secret-0123456789-abcdefghijk";

/** The signed path of `file` in a Space's stream now (`/hls/<id>/<expires>/<sig>/<file>`). */
export function signedHlsPath(
  spaceId: string,
  file = "index.m3u8",
  options: { secret?: string; nowMs?: number; windowSeconds?: number } = {},
): string {
  const signer = new HlsUrlSigner(
    options.secret ?? TEST_HLS_URL_SECRET,
    options.windowSeconds ?? 300,
  );
  return `${signer.prefix(spaceId, options.nowMs ?? Date.now()).prefix}${file}`;
}

/**
 * A signed path good for a day (a window of a day: the origin and the edges check the
 * signature and the expiry, not the window), for benchmarks that run longer than a window.
 */
export function longLivedHlsPath(spaceId: string, file = "index.m3u8"): string {
  return signedHlsPath(spaceId, file, { windowSeconds: 86_400 });
}
