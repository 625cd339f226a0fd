import type { Logger } from "pino";
import type { Config } from "../config/config.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { SharedState } from "../shared-state/ports.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { Db } from "../store/database.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { NotificationEvents } from "./events.ts";
import { FanOutRepository } from "./fan-out-repository.ts";
import { InboxRepository } from "./inbox-repository.ts";
import { ListenerLog } from "./listener-log.ts";
import { NotificationJobs } from "./notification-jobs.ts";
import { NotificationSockets } from "./notification-sockets.ts";
import { NotificationTriggers } from "./notification-triggers.ts";
import { NotificationsService } from "./notifications-service.ts";
import { PreferencesRepository } from "./preferences-repository.ts";
import { PushSender } from "./push-sender.ts";
import { PushSubscriptionsRepository } from "./push-subscriptions-repository.ts";
import { loadVapidKeys } from "./vapid-keys.ts";

export interface NotificationsDeps {
  config: Config;
  db: Db;
  repos: Repositories;
  spaces: SpacesService;
  shared: SharedState;
  jobs: JobQueue;
  log: Logger;
}

/**
 * People per INSERT on embedded PGlite: a statement of this size holds its one connection a
 * few milliseconds (docs/decisions.md, "A go-live on a busy event loop").
 */
const embeddedWriteChunk = 250;

/**
 * Notifications on one control-plane node: the API service, the toast sockets, the job
 * handlers (registered on the durable queue, so any node may run any job), the triggers that
 * turn Space activity into jobs, and the log of logged-in listeners.
 */
export class Notifications {
  private stopObserving: (() => void) | null = null;

  private constructor(
    readonly service: NotificationsService,
    readonly sockets: NotificationSockets,
    readonly jobs: NotificationJobs,
    readonly triggers: NotificationTriggers,
    readonly listeners: ListenerLog,
    readonly push: PushSender,
    readonly fanOuts: FanOutRepository,
    readonly inbox: InboxRepository,
    private readonly spaces: SpacesService,
  ) {}

  static async create(deps: NotificationsDeps): Promise<Notifications> {
    const { config, db, repos, spaces, shared, log } = deps;
    const nlog = log.child({ component: "notifications" });
    const inbox = new InboxRepository(db);
    const fanOuts = new FanOutRepository(db);
    const preferences = new PreferencesRepository(db);
    const subscriptions = new PushSubscriptionsRepository(db);
    const bus = shared.bus<NotificationEvents>("notifications");
    const push = new PushSender(
      {
        keys: await loadVapidKeys(db),
        subject: config.vapidSubject ?? vapidSubjectOf(config.publicUrl),
        concurrency: 50,
        timeoutMs: 10_000,
      },
      subscriptions,
      nlog,
    );
    const spread = {
      maxSpreadSeconds: config.notifySpreadSeconds,
      admitRatePerSecond: config.admitRatePerSecond,
    };
    const jobs = new NotificationJobs(
      deps.jobs,
      { fanOuts, inbox, subscriptions, push, bus, spaces: repos.spaces, log: nlog },
      {
        ...spread,
        batchSize: config.notifyBatchSize,
        batchConcurrency: config.databaseUrl ? config.notifyBatchWriters : 1,
        ...(config.databaseUrl ? {} : { writeChunkSize: embeddedWriteChunk }),
      },
    );
    return new Notifications(
      new NotificationsService(
        repos,
        { inbox, preferences, subscriptions, fanOuts },
        { ...spread, allowLoopbackHttp: config.pushAllowLoopbackHttp },
      ),
      new NotificationSockets(bus, inbox, nlog),
      jobs,
      new NotificationTriggers(repos, jobs, nlog),
      new ListenerLog(db, nlog),
      push,
      fanOuts,
      inbox,
      spaces,
    );
  }

  /** Workers on the queue, the triggers, the listener log's timer. */
  async start(): Promise<void> {
    await this.jobs.register();
    this.stopObserving = this.spaces.observe(this.triggers.observe);
    this.listeners.start();
  }

  async stop(): Promise<void> {
    this.stopObserving?.();
    this.sockets.close();
    await Promise.all([this.listeners.stop(), this.push.close()]);
  }
}

function vapidSubjectOf(publicUrl: string | undefined): string {
  return publicUrl?.startsWith("https://") ? publicUrl : "mailto:notifications@amphi.invalid";
}
