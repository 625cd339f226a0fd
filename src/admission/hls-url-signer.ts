import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Signed, expiring LL-HLS URLs: `/hls/<space>/<expires>/<signature>/<file>`.
 *
 * - **One URL per Space per time window.** `expires` is the end of the window after the
 *   current one (`(floor(now / W) + 2) * W`, in Unix seconds), so every listener admitted in
 *   the same window gets the same prefix, and edges key their cache on the Space and the file
 *   alone (the prefix is checked, not cached under): one origin fetch per part per edge,
 *   whatever the audience and the window.
 * - **Never a stall at the boundary.** A URL handed out works for at least one whole window
 *   more (between W and 2W); players pick up the next window's prefix from their heartbeat
 *   answers long before the one they play expires.
 * - **Checked without the origin.** The signature is nginx's `secure_link_md5` over
 *   `"<expires>:<space>:<secret>"`, base64url without padding, so an edge checks it from its
 *   configuration alone (src/edge/nginx-conf.ts); the origin checks the same thing here.
 *   MD5 is what nginx offers; with the secret last and 256 bits of it, forging a signature
 *   means a preimage of MD5, not a collision.
 *
 * Pure apart from node:crypto: clock values come from the caller.
 */
export class HlsUrlSigner {
  /**
   * Signatures already computed, by Space and expiry: every ticket, heartbeat and origin
   * part request of a window needs the same one (an MD5 each, on the join path).
   */
  private readonly signatures = new Map<string, string>();

  constructor(
    private readonly secret: string,
    /** The window W, seconds. */
    readonly windowSeconds: number,
  ) {
    if (!isHlsUrlSecret(secret)) throw new Error("HLS URL secret: 32+ base64url characters");
  }

  /** The signed prefix (`/hls/<space>/<expires>/<signature>/`) of the window `nowMs` is in. */
  prefix(spaceId: string, nowMs: number): { prefix: string; expiresAt: Date } {
    const window = this.windowSeconds;
    const expires = (Math.floor(nowMs / 1000 / window) + 2) * window;
    const signature = this.signature(spaceId, expires);
    return {
      prefix: `/hls/${spaceId}/${expires}/${signature}/`,
      expiresAt: new Date(expires * 1000),
    };
  }

  /** The multivariant playlist a listener admitted now plays. */
  playlistUrl(spaceId: string, nowMs: number): string {
    return `${this.prefix(spaceId, nowMs).prefix}index.m3u8`;
  }

  /** Whether a prefix's parts are good now: what nginx's `$secure_link` says ("1", "", "0"). */
  check(spaceId: string, expires: string, signature: string, nowMs: number): HlsUrlVerdict {
    if (!/^[0-9]{1,12}$/.test(expires) || !/^[A-Za-z0-9_-]{22}$/.test(signature)) {
      return "invalid";
    }
    const expected = Buffer.from(this.signature(spaceId, Number(expires)));
    const given = Buffer.from(signature);
    if (!timingSafeEqual(expected, given)) return "invalid";
    return Number(expires) * 1000 < nowMs ? "expired" : "ok";
  }

  private signature(spaceId: string, expires: number): string {
    const key = `${expires}:${spaceId}`;
    let signature = this.signatures.get(key);
    if (signature === undefined) {
      // Few Spaces times two or three windows in use: forgetting all now and then is enough.
      if (this.signatures.size >= 10_000) this.signatures.clear();
      signature = hlsUrlSignature(this.secret, spaceId, expires);
      this.signatures.set(key, signature);
    }
    return signature;
  }
}

export type HlsUrlVerdict = "ok" | "invalid" | "expired";

/** base64url(md5("<expires>:<space>:<secret>")), as nginx's `secure_link_md5` computes it. */
export function hlsUrlSignature(secret: string, spaceId: string, expires: number): string {
  return createHash("md5").update(`${expires}:${spaceId}:${secret}`).digest("base64url");
}

/** Safe inside an nginx string and long enough: 32 to 200 base64url characters. */
export function isHlsUrlSecret(text: string): boolean {
  return /^[A-Za-z0-9_-]{32,200}$/.test(text);
}
