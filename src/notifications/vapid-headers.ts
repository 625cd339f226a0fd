import webpush from "web-push";
import type { VapidKeys } from "./vapid-keys.ts";

/** How long a VAPID token is valid (RFC 8292 allows at most 24 h). */
const validSeconds = 12 * 3600;
/** A token is made again this long before it expires. */
const renewBeforeSeconds = 3600;

/**
 * VAPID `Authorization` headers (RFC 8292), one per push service origin, kept until an hour
 * before they expire: the JWT names only the push service, the contact and the expiry, so a
 * go-live's million pushes to one service need one ES256 signature, not one each (web-push
 * signs per call, ~2.5 ms of the main thread's time per push).
 */
export class VapidHeaders {
  private readonly byAudience = new Map<string, { header: string; expiresAt: number }>();

  constructor(
    private readonly keys: VapidKeys,
    private readonly subject: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** The header for a subscription's endpoint (its origin is the JWT's audience). */
  for(endpoint: string): string {
    const audience = new URL(endpoint).origin;
    const now = this.nowSeconds();
    const hit = this.byAudience.get(audience);
    if (hit && hit.expiresAt - now > renewBeforeSeconds) return hit.header;
    const expiresAt = now + validSeconds;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      this.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      "aes128gcm",
      expiresAt,
    );
    if (this.byAudience.size > 1000) this.byAudience.clear();
    this.byAudience.set(audience, { header: Authorization, expiresAt });
    return Authorization;
  }
}
