import type { Logger } from "pino";
import type { Bus } from "../bus/bus.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { AudienceSource } from "./audience-sources.ts";
import type { NotificationEvents } from "./events.ts";
import { batchDelaySeconds, type SpreadSettings, spreadSeconds } from "./fan-out-plan.ts";
import type { AccountRange, FanOutRepository, NotificationTemplate } from "./fan-out-repository.ts";
import type { InboxRepository } from "./inbox-repository.ts";
import { type NotificationPayload, notificationText } from "./notification-document.ts";
import type { PushSender } from "./push-sender.ts";
import type { PushSubscriptionsRepository } from "./push-subscriptions-repository.ts";
import { inQuietHours } from "./quiet-hours.ts";

/** The queues of notification delivery. */
export const notificationJobNames = {
  /** One per event with an audience: pages through it and enqueues its batches. */
  fanOut: "notify-fanout",
  /** One range of the audience: its inbox entries, in one statement. */
  batch: "notify-batch",
  /** Pushes and toasts for a range (or a few people), at its spread-out time. */
  deliver: "notify-deliver",
  /** One person (an invitation). */
  one: "notify-one",
} as const;

export interface DeliveryOptions {
  /** Spread the pushes and toasts over the window (a go-live), or deliver at once. */
  spread: boolean;
  ttlSeconds: number;
  urgency: "normal" | "high";
}

export interface FanOutJob {
  source: AudienceSource;
  template: NotificationTemplate;
  delivery: DeliveryOptions;
  /**
   * A reminder: it goes out only if the Space is still on, at the time it was scheduled for
   * when the reminder was set (ISO); a cancelled or moved Space's old reminders do nothing.
   */
  scheduledFor?: string;
}

export interface BatchJob extends FanOutJob {
  batchNo: number;
  range: AccountRange;
  /** When its pushes and toasts go out (ISO): the fan-out's start plus its jittered delay. */
  deliverAt: string;
}

export interface DeliverJob {
  dedupeKey: string;
  delivery: DeliveryOptions;
  range?: AccountRange;
  accountIds?: string[];
}

export interface OneJob {
  accountId: string;
  template: NotificationTemplate;
  delivery: DeliveryOptions;
}

export interface NotificationJobSettings extends SpreadSettings {
  /** People per batch (NOTIFY_BATCH_SIZE). */
  batchSize: number;
  /**
   * Batch writers per node: several on PostgreSQL, whose connections write in parallel; one on
   * embedded PGlite, where every statement takes the same single connection anyway.
   */
  batchConcurrency?: number;
  /**
   * People per statement when a batch is written in chunks (embedded PGlite, whose one
   * connection takes one statement at a time); unset: one statement per batch (PostgreSQL).
   */
  writeChunkSize?: number;
}

/** Batch jobs are enqueued this many at a time while the audience is paged. */
const enqueueChunk = 50;

/**
 * The handlers of notification delivery, plain async functions of their job's data (each
 * idempotent: a retried job notifies nobody twice), and their registration on the queue.
 *
 * A go-live: ONE fan-out job counts the audience and pages through it by keyset, enqueuing one
 * batch job per `batchSize` people; each batch writes its inbox entries with one
 * INSERT ... SELECT ... ON CONFLICT DO NOTHING and enqueues its delivery at its place in the
 * spread window; the delivery toasts (through the bus, on every node) and pushes to the
 * people of its range with a subscription, outside their quiet hours, each entry at most once.
 */
export class NotificationJobs {
  constructor(
    private readonly queue: JobQueue,
    private readonly deps: {
      fanOuts: FanOutRepository;
      spaces: {
        findById(
          id: string,
        ): Promise<{ state: string; scheduledFor: Date | null; startedAt: Date | null } | null>;
      };
      inbox: InboxRepository;
      subscriptions: PushSubscriptionsRepository;
      push: PushSender | null;
      bus: Bus<NotificationEvents>;
      log: Logger;
    },
    private readonly settings: NotificationJobSettings,
    private readonly now: () => Date = () => new Date(),
    private readonly random: () => number = Math.random,
  ) {}

  /** Workers for every notification queue on this node. */
  async register(): Promise<void> {
    const { queue } = this;
    const each =
      <T>(handler: (data: T) => Promise<unknown>) =>
      async (jobs: { id: string; data: T }[]) => {
        for (const job of jobs) await handler(job.data);
      };
    const together =
      <T>(handler: (data: T) => Promise<unknown>) =>
      async (jobs: { id: string; data: T }[]) => {
        await Promise.all(jobs.map((job) => handler(job.data)));
      };
    // One worker per queue: on embedded PGlite every poll shares its one connection.
    const fast = { pollingIntervalSeconds: 0.5 };
    const slow = { pollingIntervalSeconds: 1 };
    await queue.work<FanOutJob>(
      notificationJobNames.fanOut,
      { ...slow, batchSize: 1 },
      each((d) => this.fanOut(d)),
    );
    // A batch that fails is retried whole: every handler here is idempotent.
    await queue.work<BatchJob>(
      notificationJobNames.batch,
      { ...fast, batchSize: 4, concurrency: this.settings.batchConcurrency ?? 1 },
      each((d) => this.batch(d)),
    );
    // Deliveries wait mostly on push services: a fetched handful runs at once, so a go-live's
    // last pushes leave at the end of its window, not behind a queue of earlier ones.
    await queue.work<DeliverJob>(
      notificationJobNames.deliver,
      { ...fast, batchSize: 4 },
      together((d) => this.deliver(d)),
    );
    await queue.work<OneJob>(
      notificationJobNames.one,
      { ...fast, batchSize: 5 },
      each((d) => this.one(d)),
    );
  }

  /** Enqueues a fan-out, once per dedupe key. */
  async enqueueFanOut(job: FanOutJob, startAfter?: Date): Promise<void> {
    await this.queue.send(notificationJobNames.fanOut, job, {
      singletonKey: `fanout:${job.template.dedupeKey}`,
      retryLimit: 5,
      retryBackoff: true,
      ...(startAfter ? { startAfter } : {}),
    });
  }

  async enqueueOne(job: OneJob): Promise<void> {
    await this.queue.send(notificationJobNames.one, job, {
      singletonKey: `one:${job.template.dedupeKey}:${job.accountId}`,
      retryLimit: 5,
      retryBackoff: true,
    });
  }

  /**
   * Pages through the audience (keyset, `batchSize` at a time) and enqueues one batch job per
   * page. A retry after the plan was stored does nothing; one in the middle re-enqueues the
   * same batches, which their singleton keys and the batch rows make harmless.
   */
  async fanOut(job: FanOutJob): Promise<{ batches: number; audience: number }> {
    const { fanOuts } = this.deps;
    const key = job.template.dedupeKey;
    const known = await fanOuts.find(key);
    if (known?.batches != null) return { batches: known.batches, audience: known.audience };
    if (job.scheduledFor !== undefined && job.template.spaceId) {
      const space = await this.deps.spaces.findById(job.template.spaceId);
      const moved = space?.scheduledFor?.toISOString() !== job.scheduledFor;
      if (!space || space.state === "cancelled" || space.state === "ended" || moved) {
        return { batches: 0, audience: 0 };
      }
      // A Space that went live early told its "at the start" reminders then (triggers).
      if (job.source.kind === "reminders" && job.source.at === "start" && startedEarly(space)) {
        return { batches: 0, audience: 0 };
      }
    }
    const audience = known?.audience ?? (await fanOuts.count(job.source));
    const window = job.delivery.spread
      ? (known?.spreadSeconds ?? spreadSeconds(audience, this.settings))
      : 0;
    if (!known) {
      await fanOuts.start({
        dedupeKey: key,
        kind: job.template.kind,
        spaceId: job.template.spaceId,
        audience,
        spreadSeconds: window,
      });
    }
    const size = this.settings.batchSize;
    const expectedBatches = Math.max(1, Math.ceil(audience / size));
    const startMs = this.now().getTime();
    let pending: { data: BatchJob; singletonKey: string }[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      await this.queue.sendMany(notificationJobNames.batch, pending);
      pending = [];
    };
    let lo = "";
    let batchNo = 0;
    for (;;) {
      const hi = await fanOuts.boundaryAfter(job.source, lo, size);
      const delay = batchDelaySeconds(
        Math.min(batchNo, expectedBatches - 1),
        expectedBatches,
        window,
        this.random,
      );
      pending.push({
        data: {
          ...job,
          batchNo,
          range: { lo, hi },
          deliverAt: new Date(startMs + delay * 1000).toISOString(),
        },
        singletonKey: `batch:${key}:${batchNo}`,
      });
      if (pending.length >= enqueueChunk) await flush();
      if (hi === null) break;
      lo = hi;
      batchNo++;
    }
    await flush();
    await fanOuts.planned(key, batchNo + 1);
    return { batches: batchNo + 1, audience };
  }

  /** Writes one range's inbox entries, then enqueues its delivery at its time. */
  async batch(job: BatchJob): Promise<number | null> {
    const chunk = this.settings.writeChunkSize;
    const written = chunk
      ? await this.deps.fanOuts.writeBatchInChunks(
          job.source,
          job.template,
          job.range,
          job.batchNo,
          chunk,
        )
      : await this.deps.fanOuts.writeBatch(job.source, job.template, job.range, job.batchNo);
    const at = new Date(job.deliverAt);
    const deliver: DeliverJob = {
      dedupeKey: job.template.dedupeKey,
      delivery: job.delivery,
      range: job.range,
    };
    await this.queue.send(notificationJobNames.deliver, deliver, {
      singletonKey: `deliver:${job.template.dedupeKey}:${job.batchNo}`,
      retryLimit: 3,
      ...(at.getTime() > this.now().getTime() ? { startAfter: at } : {}),
    });
    return written;
  }

  /** One person's notification, delivered at once. */
  async one(job: OneJob): Promise<void> {
    await this.deps.inbox.insertOne(job.accountId, job.template);
    await this.deliver({
      dedupeKey: job.template.dedupeKey,
      delivery: job.delivery,
      accountIds: [job.accountId],
    });
  }

  /**
   * Toasts (every node, through the bus) and pushes for the entries of a range or of a few
   * people. Each entry is claimed before its push, so a retried delivery pushes nothing twice
   * (a crash between the claim and the send loses that push rather than doubling it).
   */
  async deliver(job: DeliverJob): Promise<{ pushed: number }> {
    const { inbox, subscriptions, push, bus } = this.deps;
    const who = job.range ?? { accountIds: job.accountIds ?? [] };
    bus.publish("delivered", {
      dedupeKey: job.dedupeKey,
      ...(job.range ? { range: job.range } : { accountIds: job.accountIds ?? [] }),
    });
    if (!push) return { pushed: 0 };
    const now = this.now();
    const candidates = (await inbox.recipients(job.dedupeKey, who, true)).filter(
      (r) => r.push && !inQuietHours(r.quietHours, now),
    );
    const claimed = await inbox.claimPushes(
      candidates.map((r) => r.entry.id),
      now,
    );
    const first = candidates.find((r) => claimed.has(r.entry.id));
    if (!first) return { pushed: 0 };
    const accountIds = candidates
      .filter((r) => claimed.has(r.entry.id))
      .map((r) => r.entry.accountId);
    const subs = await subscriptions.forAccounts(accountIds);
    const { entry } = first;
    const outcome = await push.send(
      subs,
      {
        title: "Amphi",
        body: notificationText(entry.kind, entry.payload as NotificationPayload),
        url: entry.spaceId ? `/spaces/${entry.spaceId}` : "/notifications",
        tag: job.dedupeKey,
      },
      { ttlSeconds: job.delivery.ttlSeconds, urgency: job.delivery.urgency },
    );
    if (outcome.failed > 0) {
      this.deps.log.warn({ dedupeKey: job.dedupeKey, ...outcome }, "notifications: pushes failed");
    }
    return { pushed: outcome.sent };
  }
}

/** Went live more than a minute before its scheduled time. */
export function startedEarly(space: {
  scheduledFor: Date | null;
  startedAt: Date | null;
}): boolean {
  if (!space.scheduledFor || !space.startedAt) return false;
  return space.startedAt.getTime() < space.scheduledFor.getTime() - 60_000;
}
