import type { Logger } from "pino";
import webpush from "web-push";
import type {
  PushSubscriptionsRepository,
  StoredSubscription,
} from "./push-subscriptions-repository.ts";
import type { VapidKeys } from "./vapid-keys.ts";

/** What the service worker (web/public/sw.js) receives and shows. */
export interface PushMessage {
  title: string;
  body: string;
  url: string;
  /** Notifications with the same tag replace each other on the device. */
  tag: string;
}

export interface PushSettings {
  keys: VapidKeys;
  /** VAPID `sub`: a mailto: or https: contact for push services. */
  subject: string;
  /** Requests in flight at once per `send`. */
  concurrency: number;
  timeoutMs: number;
}

export interface PushOutcome {
  sent: number;
  /** Subscriptions the push service no longer knows (404/410): deleted. */
  gone: number;
  failed: number;
}

/**
 * Sends Web Push messages (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption
 * (RFC 8291), as web-push builds them; the request itself goes out over fetch, so its timeout
 * is ours. A 404 or 410 from the push service means the browser unsubscribed: the
 * subscription is deleted.
 */
export class PushSender {
  constructor(
    private readonly settings: PushSettings,
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly log: Logger,
  ) {}

  get publicKey(): string {
    return this.settings.keys.publicKey;
  }

  async send(
    subs: readonly StoredSubscription[],
    message: PushMessage,
    options: { ttlSeconds: number; urgency: "normal" | "high" },
  ): Promise<PushOutcome> {
    const outcome: PushOutcome = { sent: 0, gone: 0, failed: 0 };
    const payload = JSON.stringify(message);
    let next = 0;
    const worker = async () => {
      while (next < subs.length) {
        const sub = subs[next++] as StoredSubscription;
        const result = await this.sendOne(sub, payload, options);
        outcome[result]++;
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.settings.concurrency, subs.length) }, worker),
    );
    return outcome;
  }

  private async sendOne(
    sub: StoredSubscription,
    payload: string,
    options: { ttlSeconds: number; urgency: "normal" | "high" },
  ): Promise<keyof PushOutcome> {
    try {
      const details = webpush.generateRequestDetails(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        payload,
        {
          vapidDetails: { subject: this.settings.subject, ...this.settings.keys },
          TTL: options.ttlSeconds,
          urgency: options.urgency,
          contentEncoding: "aes128gcm",
        },
      );
      const response = await fetch(details.endpoint, {
        method: details.method,
        headers: headersOf(details.headers),
        body: details.body ? new Uint8Array(details.body) : null,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await response.body?.cancel();
      if (response.status === 404 || response.status === 410) {
        await this.subscriptions.delete(sub.endpoint);
        return "gone";
      }
      if (response.status >= 200 && response.status < 300) return "sent";
      this.log.warn({ status: response.status, origin: originOf(sub.endpoint) }, "push refused");
      return "failed";
    } catch (error) {
      this.log.warn({ err: error, origin: originOf(sub.endpoint) }, "push failed");
      return "failed";
    }
  }
}

/** web-push's headers as fetch takes them: strings, and no Content-Length (fetch sets it). */
function headersOf(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== "content-length") out[name] = String(value);
  }
  return out;
}

/** The push service, never the full endpoint (it is a bearer capability). */
function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return "invalid";
  }
}
