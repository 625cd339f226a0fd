import type { Logger } from "pino";
import type {
  PushSubscriptionsRepository,
  StoredSubscription,
} from "./push-subscriptions-repository.ts";
import { type PushResult, PushWorkerPool } from "./push-worker-pool.ts";
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
 * (RFC 8291). The event loop signs the VAPID header once per push service (`VapidHeaders`) and
 * hands the subscriptions, `concurrency` at a time, to worker threads (`PushWorkerPool`) that
 * encrypt and POST them (with our timeout) and answer each status; all the chunks are queued
 * at once and the pool keeps its workers busy. A 404 or 410 from the push service means the
 * browser unsubscribed: the subscription is deleted.
 */
export class PushSender {
  private readonly vapid: VapidHeaders;

  constructor(
    private readonly settings: PushSettings,
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly log: Logger,
    private readonly pool = new PushWorkerPool(),
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
    const payload = JSON.stringify(message);
    const size = Math.max(1, this.settings.concurrency);
    const chunks: StoredSubscription[][] = [];
    for (let i = 0; i < subs.length; i += size) chunks.push(subs.slice(i, i + size));
    const results = await Promise.all(chunks.map((chunk) => this.deliver(chunk, payload, options)));
    const outcome: PushOutcome = { sent: 0, gone: 0, failed: 0 };
    for (const chunk of results) for (const result of chunk) outcome[result]++;
    return outcome;
  }

  /** Stops the push workers (pushes sent later start new ones). */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async deliver(
    chunk: readonly StoredSubscription[],
    payload: string,
    options: { ttlSeconds: number; urgency: "normal" | "high" },
  ): Promise<(keyof PushOutcome)[]> {
    let results: PushResult[];
    try {
      results = await this.pool.deliver({
        subs: chunk.map((sub) => ({ ...sub, authorization: this.vapid.for(sub.endpoint) })),
        payload,
        ...options,
        timeoutMs: this.settings.timeoutMs,
      });
    } catch (error) {
      this.log.warn({ err: error }, "push workers failed");
      return chunk.map(() => "failed");
    }
    return Promise.all(
      chunk.map((sub, i) => this.settle(sub, results[i] ?? { error: "no answer" })),
    );
  }

  private async settle(sub: StoredSubscription, result: PushResult): Promise<keyof PushOutcome> {
    const origin = originOf(sub.endpoint);
    if ("error" in result) {
      this.log.warn({ err: result.error, origin }, "push failed");
      return "failed";
    }
    if (result.status === 404 || result.status === 410) {
      try {
        await this.subscriptions.delete(sub.endpoint);
      } catch (error) {
        this.log.warn({ err: error, origin }, "push: could not delete a gone subscription");
      }
      return "gone";
    }
    if (result.status >= 200 && result.status < 300) return "sent";
    this.log.warn({ status: result.status, origin }, "push refused");
    return "failed";
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
