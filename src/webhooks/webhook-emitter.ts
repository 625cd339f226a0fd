import type { Logger } from "pino";
import type { Bus } from "../bus/bus.ts";
import type { WebhookEventType } from "../contracts/webhook-contracts.ts";
import type { RecordingInfo } from "../recordings/recordings-service.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import type { SpaceDocument } from "../spaces/space-document.ts";
import type { DeliveryRepository } from "./delivery-repository.ts";
import type { DeliveryWorker } from "./delivery-worker.ts";
import type { EndpointRepository } from "./endpoint-repository.ts";
import {
  occurredAt,
  spaceEventOf,
  type WebhookRecording,
  webhookBody,
  webhookSpace,
} from "./event-mapper.ts";
import { eventMessageId } from "./signer.ts";

export interface WebhookEmitterDeps {
  bus: Bus<SpaceEvents>;
  /** The Space as its public document. */
  space: (spaceId: string) => Promise<SpaceDocument>;
  /** The recording of an ended Space, or null when it has none. */
  recording: (spaceId: string) => Promise<RecordingInfo | null>;
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  worker: DeliveryWorker;
  /** The address people use (links in the bodies). */
  publicUrl: () => string;
  log: Logger;
  now?: () => Date;
}

/** Spaces whose last announced event this node remembers (a bound on memory). */
const rememberedSpaces = 10_000;

/**
 * Turns Space changes into webhook messages: a Space scheduled (created with a planned
 * time), live, ended, its recording ready. Each subscribed endpoint of the host gets one
 * message per event, enqueued for delivery. Every API node hears every change (the bus);
 * the message id is derived from (endpoint, event, Space) and kept once in the database, so a
 * fleet sends each message once however many nodes heard of it.
 */
export class WebhookEmitter {
  private readonly announced = new Map<string, WebhookEventType>();
  private readonly now: () => Date;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly deps: WebhookEmitterDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  start(): void {
    const { bus, log } = this.deps;
    const safely = (work: Promise<void>, spaceId: string) =>
      work.catch((error) => log.error({ err: error, spaceId }, "webhooks: could not emit"));
    this.unsubscribe = [
      bus.subscribe("spaceChanged", ({ spaceId }) => void safely(this.changed(spaceId), spaceId)),
      bus.subscribe(
        "recordingReady",
        ({ spaceId }) => void safely(this.recordingReady(spaceId), spaceId),
      ),
    ];
  }

  stop(): void {
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
  }

  /** Most changes are stage changes: only a new state is news, and only once per node. */
  private async changed(spaceId: string): Promise<void> {
    const space = await this.deps.space(spaceId);
    const type = spaceEventOf(space);
    if (type === null || this.announced.get(spaceId) === type) return;
    this.remember(spaceId, type);
    await this.emit(space, type);
  }

  private async recordingReady(spaceId: string): Promise<void> {
    const [space, info] = await Promise.all([
      this.deps.space(spaceId),
      this.deps.recording(spaceId),
    ]);
    if (!info) return; // no recording after all (nothing was kept, or already expired)
    const base = this.deps.publicUrl();
    await this.emit(space, "recording.ready", {
      playlistUrl: `${base}${info.playlistUrl}`,
      downloadUrl: `${base}${info.downloadUrl}`,
      durationSeconds: info.durationSeconds,
      expiresAt: info.expiresAt,
    });
  }

  private async emit(
    space: SpaceDocument,
    type: WebhookEventType,
    recording?: WebhookRecording,
  ): Promise<void> {
    const { endpoints, deliveries, worker } = this.deps;
    const subscribed = await endpoints.subscribedTo(space.host.id, type);
    if (subscribed.length === 0) return;
    const body = webhookBody({
      type,
      timestamp: occurredAt(space, type, this.now()),
      data: {
        space: webhookSpace(space, this.deps.publicUrl()),
        ...(recording ? { recording } : {}),
      },
    });
    for (const endpoint of subscribed) {
      const messageId = eventMessageId(endpoint.id, type, space.id);
      const added = await deliveries.addMessage({
        id: messageId,
        endpointId: endpoint.id,
        eventType: type,
        body,
      });
      if (added) await worker.enqueue({ messageId, endpointId: endpoint.id, attempt: 1 });
    }
  }

  private remember(spaceId: string, type: WebhookEventType): void {
    this.announced.delete(spaceId);
    this.announced.set(spaceId, type);
    if (type === "space.ended") this.announced.delete(spaceId);
    if (this.announced.size > rememberedSpaces) {
      const oldest = this.announced.keys().next().value;
      if (oldest !== undefined) this.announced.delete(oldest);
    }
  }
}
