import type { Logger } from "pino";
import { type EncryptedPush, PushEncryptionPool } from "./push-encryption-pool.ts";
import type {
  PushSubscriptionsRepository,
  StoredSubscription,
} from "./push-subscriptions-repository.ts";
import { VapidHeaders } from "./vapid-headers.ts";
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
 * (RFC 8291). The payloads are encrypted in worker threads (`PushEncryptionPool`), a chunk of
 * `concurrency` subscriptions at a time, the next chunk while the current one is sent; the
 * VAPID header is signed once per push service (`VapidHeaders`); the requests go out over
 * fetch, so their timeout is ours. The event loop only posts requests. A 404 or 410 from the
 * push service means the browser unsubscribed: the subscription is deleted.
 */
export class PushSender {
  private readonly vapid: VapidHeaders;

  constructor(
    private readonly settings: PushSettings,
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly log: Logger,
    private readonly pool = new PushEncryptionPool(),
  ) {
    this.vapid = new VapidHeaders(settings.keys, settings.subject);
  }

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
    const size = Math.max(1, this.settings.concurrency);
    const chunks: StoredSubscription[][] = [];
    for (let i = 0; i < subs.length; i += size) chunks.push(subs.slice(i, i + size));
    const encrypt = (chunk: StoredSubscription[]) =>
      this.pool.encrypt({ subs: chunk, payload, ...options }).catch((error: unknown) => {
        this.log.warn({ err: error }, "push encryption failed");
        return chunk.map(() => ({ error: "encryption failed" }));
      });
    let ahead = chunks[0] ? encrypt(chunks[0]) : null;
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as StoredSubscription[];
      const encrypted = await (ahead as Promise<EncryptedPush[]>);
      const next = chunks[i + 1];
      ahead = next ? encrypt(next) : null;
      const results = await Promise.all(
        chunk.map((sub, j) => this.post(sub, encrypted[j] ?? { error: "missing" })),
      );
      for (const result of results) outcome[result]++;
    }
    return outcome;
  }

  /** Stops the encryption workers (pushes sent later start new ones). */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async post(
    sub: StoredSubscription,
    encrypted: EncryptedPush,
  ): Promise<keyof PushOutcome> {
    try {
      if ("error" in encrypted) throw new Error(encrypted.error);
      const response = await fetch(sub.endpoint, {
        method: "POST",
        headers: {
          ...encrypted.headers,
          Authorization: this.vapid.for(sub.endpoint),
        },
        body: encrypted.body,
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

/** The push service, never the full endpoint (it is a bearer capability). */
function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return "invalid";
  }
}
