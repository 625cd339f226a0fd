import type { Logger } from "pino";
import type { DeliveryClient } from "./delivery-client.ts";
import type { DeliveryRecord, DeliveryRepository } from "./delivery-repository.ts";
import type { EndpointRepository } from "./endpoint-repository.ts";
import { nextRetryDelayMs, type RetrySchedule } from "./retry-schedule.ts";
import { type DeliverJob, deliverJobName, type WebhookJobQueue } from "./webhook-jobs.ts";

export interface DeliveryWorkerDeps {
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  client: DeliveryClient;
  queue: WebhookJobQueue;
  schedule: RetrySchedule;
  /** Failed attempts in a row after which the endpoint shows as failing. */
  failingAfter: number;
  log: Logger;
  random?: () => number;
  now?: () => Date;
}

/**
 * Works the webhook delivery jobs: one job is one attempt. Each attempt is logged
 * (`webhook_deliveries`: outcome, status or error, duration, next retry); a failed one is
 * enqueued again for the time the retry schedule gives, so the log shows every attempt and
 * when the next is due (the queue's own retries only cover this node failing mid-job).
 */
export class DeliveryWorker {
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.random = deps.random ?? Math.random;
    this.now = deps.now ?? (() => new Date());
  }

  /** Starts working the queue on this node. */
  async start(): Promise<void> {
    await this.deps.queue.work<DeliverJob>(
      deliverJobName,
      // A slow receiver holds its batch up to the timeout: small batches, two at once. An
      // idle node polls once a second per batch (the embedded database has one connection).
      { batchSize: 5, concurrency: 2, pollingIntervalSeconds: 1 },
      async (jobs) => {
        const results = await Promise.allSettled(jobs.map((job) => this.attempt(job.data)));
        const failure = results.find((r) => r.status === "rejected");
        // The queue runs the batch again; attempts already logged are skipped.
        if (failure) throw failure.reason;
      },
    );
  }

  /** Enqueues an attempt (the first at once, later ones at their retry time). */
  async enqueue(job: DeliverJob, startAfter?: Date): Promise<void> {
    await this.deps.queue.send<DeliverJob>(deliverJobName, job, {
      singletonKey: `${job.messageId}:${job.attempt}`,
      ...(startAfter ? { startAfter } : {}),
    });
  }

  /**
   * Makes one attempt and logs it; null when there is nothing to do (the endpoint was deleted,
   * or disabled and this is not a test, or this attempt was already made).
   */
  async attempt(
    job: DeliverJob,
    options: { force?: boolean } = {},
  ): Promise<DeliveryRecord | null> {
    const { endpoints, deliveries, client, schedule, log } = this.deps;
    if (await deliveries.attempted(job.messageId, job.attempt)) return null;
    const endpoint = await endpoints.find(job.endpointId);
    if (!endpoint || (endpoint.status === "disabled" && !options.force)) return null;
    const message = await deliveries.message(job.messageId);
    if (!message) return null;
    const at = this.now();
    const result = await client.deliverAttempt(endpoint, message, at);
    const gone = result.statusCode === 410;
    const delay =
      result.outcome === "failed" && !gone
        ? nextRetryDelayMs(schedule, job.attempt, this.random, result.retryAfterSeconds)
        : null;
    const finishedAt = at.getTime() + result.durationMs;
    const record: Omit<DeliveryRecord, "id"> = {
      endpointId: endpoint.id,
      messageId: message.id,
      eventType: message.eventType,
      attempt: job.attempt,
      outcome: result.outcome,
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
      attemptedAt: at,
      nextRetryAt: delay === null ? null : new Date(finishedAt + delay),
    };
    const id = await deliveries.log(record);
    // Another run of this job got there first (a job worked twice): it carries on from there.
    if (id === null) return null;
    if (result.outcome === "delivered") {
      await endpoints.markDelivered(endpoint.id, new Date(finishedAt));
    } else {
      await endpoints.markFailed(endpoint.id, new Date(finishedAt), this.deps.failingAfter, gone);
      log.info(
        {
          endpointId: endpoint.id,
          messageId: message.id,
          attempt: job.attempt,
          status: result.statusCode,
          error: result.error,
        },
        "webhook: attempt failed",
      );
    }
    if (record.nextRetryAt) {
      await this.enqueue({ ...job, attempt: job.attempt + 1 }, record.nextRetryAt);
    }
    return { ...record, id };
  }
}
