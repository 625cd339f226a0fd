import type { Logger } from "pino";
import type { Bus } from "../bus/bus.ts";
import type { Config } from "../config/config.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { Limiter } from "../limits/limiter.ts";
import type { RecordingsService } from "../recordings/recordings-service.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { Db } from "../store/database.ts";
import { DeliveryClient } from "./delivery-client.ts";
import { DeliveryRepository } from "./delivery-repository.ts";
import { DeliveryWorker } from "./delivery-worker.ts";
import { EndpointRepository } from "./endpoint-repository.ts";
import { parseRetrySeconds } from "./retry-schedule.ts";
import { WebhookEmitter } from "./webhook-emitter.ts";
import { WebhooksService } from "./webhooks-service.ts";

export interface WebhooksDeps {
  config: Config;
  db: Db;
  jobs: JobQueue;
  bus: Bus<SpaceEvents>;
  spaces: SpacesService;
  recordings: RecordingsService;
  limiter: Limiter;
  /** The address people use, for links in the bodies. */
  publicUrl: () => string;
  log: Logger;
}

/** Messages older than this are deleted with their delivery log (the last attempt is ~2 days in). */
const keepDays = 30;

/**
 * Signed outgoing webhooks, as the control plane runs them: the service behind
 * /api/webhooks, the emitter turning Space changes into messages, and the worker delivering
 * them from the durable job queue (any API node works it).
 */
export class Webhooks {
  readonly service: WebhooksService;
  private readonly emitter: WebhookEmitter;
  private readonly worker: DeliveryWorker;
  private readonly deliveries: DeliveryRepository;

  constructor(deps: WebhooksDeps) {
    const { config, db, log } = deps;
    const policy = { allowLoopback: config.webhooksAllowHttpLoopback };
    const endpoints = new EndpointRepository(db);
    this.deliveries = new DeliveryRepository(db);
    this.worker = new DeliveryWorker({
      endpoints,
      deliveries: this.deliveries,
      client: new DeliveryClient({ policy, timeoutMs: config.webhookTimeoutSeconds * 1000 }),
      queue: deps.jobs,
      schedule: { delaysSeconds: parseRetrySeconds(config.webhookRetrySeconds), jitter: 0.2 },
      failingAfter: config.webhookFailingAfter,
      log,
    });
    this.service = new WebhooksService({
      endpoints,
      deliveries: this.deliveries,
      worker: this.worker,
      policy,
      maxPerAccount: config.webhooksPerAccount,
      limiter: deps.limiter,
    });
    this.emitter = new WebhookEmitter({
      bus: deps.bus,
      space: (id) => deps.spaces.document(id),
      recording: async (id) => {
        try {
          return (await deps.recordings.recording(id)).info;
        } catch {
          return null;
        }
      },
      endpoints,
      deliveries: this.deliveries,
      worker: this.worker,
      publicUrl: deps.publicUrl,
      log,
    });
  }

  /** Listens for Space changes and works the delivery queue. */
  async start(): Promise<void> {
    this.emitter.start();
    await this.worker.start();
  }

  stop(): void {
    this.emitter.stop();
  }

  /** Deletes old messages and their log (the control plane's hourly sweep). */
  sweep(now = new Date()): Promise<number> {
    return this.deliveries.deleteBefore(new Date(now.getTime() - keepDays * 86_400_000));
  }
}
