import { lookup } from "node:dns/promises";
import type {
  CreatedWebhookEndpoint,
  CreateWebhookInput,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from "../contracts/webhook-contracts.ts";
import { webhookTestEventType } from "../contracts/webhook-contracts.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { Limiter } from "../limits/limiter.ts";
import { newSpaceId } from "../spaces/space-id.ts";
import type { DeliveryRecord, DeliveryRepository } from "./delivery-repository.ts";
import type { DeliveryWorker } from "./delivery-worker.ts";
import type { EndpointRecord, EndpointRepository } from "./endpoint-repository.ts";
import { webhookBody } from "./event-mapper.ts";
import { newMessageId, newSigningSecret } from "./signer.ts";
import {
  type Checked,
  checkAddress,
  checkWebhookUrl,
  literalAddress,
  type UrlPolicy,
} from "./url-policy.ts";

export interface WebhooksServiceDeps {
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  worker: DeliveryWorker;
  policy: UrlPolicy;
  maxPerAccount: number;
  /** Management actions per account (src/limits/rate-limits.ts). */
  limiter: Limiter;
  /** All addresses of a name; the real resolver unless a test says otherwise. */
  resolve?: (hostname: string) => Promise<string[]>;
  now?: () => Date;
}

const resolveAll = async (hostname: string) =>
  (await lookup(hostname, { all: true })).map((a) => a.address);

/** A host's webhook endpoints: create, list, delete, send a test, read the delivery log. */
export class WebhooksService {
  private readonly resolve: (hostname: string) => Promise<string[]>;
  private readonly now: () => Date;

  constructor(private readonly deps: WebhooksServiceDeps) {
    this.resolve = deps.resolve ?? resolveAll;
    this.now = deps.now ?? (() => new Date());
  }

  async create(accountId: string, input: CreateWebhookInput): Promise<CreatedWebhookEndpoint> {
    const { endpoints, limiter, maxPerAccount } = this.deps;
    await limiter.take(accountId);
    const url = await this.checkUrl(input.url);
    if ((await endpoints.countForAccount(accountId)) >= maxPerAccount) {
      throw new AmphiError("AMPHI_WEBHOOK_LIMIT_REACHED", { details: { limit: maxPerAccount } });
    }
    const record = await endpoints.create({
      id: newSpaceId(),
      accountId,
      url: url.toString(),
      events: [...new Set(input.events)] as WebhookEventType[],
      secret: newSigningSecret(),
    });
    return { ...endpointJson(record), secret: record.secret };
  }

  async list(accountId: string): Promise<WebhookEndpoint[]> {
    return (await this.deps.endpoints.listForAccount(accountId)).map(endpointJson);
  }

  /** Deletes the endpoint: attempts not yet made are dropped (the worker finds no endpoint). */
  async remove(accountId: string, id: string): Promise<void> {
    await this.deps.limiter.take(accountId);
    if (!(await this.deps.endpoints.delete(id, accountId))) {
      throw new AmphiError("AMPHI_WEBHOOK_NOT_FOUND");
    }
  }

  /**
   * "Send test": a `webhook.test` message delivered now (its first attempt within this
   * request; retried on the usual schedule if it fails). Sent to a disabled endpoint too,
   * whose success makes it active again.
   */
  async sendTest(accountId: string, id: string): Promise<WebhookDelivery> {
    const endpoint = await this.owned(accountId, id);
    await this.deps.limiter.take(accountId);
    const messageId = newMessageId();
    let delivery: DeliveryRecord | null;
    try {
      await this.deps.deliveries.addMessage({
        id: messageId,
        endpointId: endpoint.id,
        eventType: webhookTestEventType,
        body: webhookBody({
          type: webhookTestEventType,
          timestamp: this.now().toISOString(),
          data: { endpoint: { id: endpoint.id, url: endpoint.url } },
        }),
      });
      delivery = await this.deps.worker.attempt(
        { messageId, endpointId: endpoint.id, attempt: 1 },
        { force: true },
      );
    } catch (error) {
      // PostgreSQL foreign_key_violation: the endpoint was deleted while the test was sent.
      if ((error as { code?: unknown }).code === "23503") delivery = null;
      else throw error;
    }
    if (!delivery) throw new AmphiError("AMPHI_WEBHOOK_NOT_FOUND"); // deleted meanwhile
    return deliveryJson(delivery);
  }

  async deliveries(accountId: string, id: string, limit: number): Promise<WebhookDelivery[]> {
    const endpoint = await this.owned(accountId, id);
    return (await this.deps.deliveries.forEndpoint(endpoint.id, limit)).map(deliveryJson);
  }

  /** Another account's endpoint is as missing as one that never was. */
  private async owned(accountId: string, id: string): Promise<EndpointRecord> {
    const endpoint = await this.deps.endpoints.find(id);
    if (!endpoint || endpoint.accountId !== accountId) {
      throw new AmphiError("AMPHI_WEBHOOK_NOT_FOUND");
    }
    return endpoint;
  }

  /** The URL policy, and for a name, every address it resolves to now. */
  private async checkUrl(text: string): Promise<URL> {
    const { policy } = this.deps;
    const refused = (checked: Checked<unknown> & { ok: false }) =>
      new AmphiError("AMPHI_WEBHOOK_URL_REFUSED", {
        message: checked.message,
        details: { reason: checked.reason, path: ["body", "url"] },
      });
    const checked = checkWebhookUrl(text, policy);
    if (!checked.ok) throw refused(checked);
    const url = checked.value;
    if (literalAddress(url.hostname) !== null) return url;
    let addresses: string[];
    try {
      addresses = await this.resolve(url.hostname);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      throw refused({
        ok: false,
        reason: "unresolvable",
        message: `${url.hostname} does not resolve.`,
      });
    }
    for (const address of addresses) {
      const ok = checkAddress(address, policy);
      if (!ok.ok) throw refused(ok);
    }
    return url;
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function endpointJson(e: EndpointRecord): WebhookEndpoint {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    status: e.status,
    consecutiveFailures: e.consecutiveFailures,
    lastSuccessAt: iso(e.lastSuccessAt),
    lastFailureAt: iso(e.lastFailureAt),
    createdAt: e.createdAt.toISOString(),
  };
}

function deliveryJson(d: DeliveryRecord): WebhookDelivery {
  return {
    id: d.id,
    messageId: d.messageId,
    event: d.eventType,
    attempt: d.attempt,
    outcome: d.outcome,
    statusCode: d.statusCode,
    error: d.error,
    durationMs: d.durationMs,
    attemptedAt: d.attemptedAt.toISOString(),
    nextRetryAt: iso(d.nextRetryAt),
  };
}
