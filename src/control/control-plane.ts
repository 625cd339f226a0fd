import type { Logger } from "pino";
import type { AccountsService } from "../accounts/accounts-service.ts";
import { AdmissionService, admissionSettings } from "../admission/admission-service.ts";
import { loadHlsUrlSecret } from "../admission/hls-url-secret.ts";
import { HlsUrlSigner } from "../admission/hls-url-signer.ts";
import { type AdmissionSpace, SpaceDirectory } from "../admission/space-directory.ts";
import { loadTicketKeys } from "../admission/ticket-keys.ts";
import { TicketSigner } from "../admission/ticket-signer.ts";
import type { Bus } from "../bus/bus.ts";
import { CalendarService } from "../calendar/calendar-service.ts";
import type { Config } from "../config/config.ts";
import { DiscoveryService, defaultDiscoverySettings } from "../discovery/discovery-service.ts";
import { snapshotDocuments } from "../discovery/space-documents.ts";
import type { Metrics } from "../http/metrics.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { RateLimits } from "../limits/rate-limits.ts";
import { LiveHub } from "../live/live-hub.ts";
import { Moderation } from "../moderation/moderation.ts";
import {
  ReachFilteredQueries,
  ReachFilteredSearch,
  reachFilteredDocuments,
} from "../moderation/reach-filters.ts";
import { Notifications } from "../notifications/notifications.ts";
import { AttackDetector } from "../protection/attack-detector.ts";
import { AttackGuard } from "../protection/attack-guard.ts";
import { FleetSignalSync } from "../protection/fleet-signal-sync.ts";
import { ProofOfWork } from "../protection/proof-of-work.ts";
import { RecordingsService } from "../recordings/recordings-service.ts";
import type { RecordingStore } from "../recordings/store/recording-store.ts";
import { RemindersService } from "../reminders/reminders-service.ts";
import type { SharedState } from "../shared-state/ports.ts";
import { Sharing } from "../sharing/sharing.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import { HostBlocks } from "../spaces/host-blocks.ts";
import type { SpaceSnapshots } from "../spaces/space-snapshots.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { Db } from "../store/database.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { SpaceRecord } from "../store/repositories/spaces-repository.ts";
import { Webhooks } from "../webhooks/webhooks.ts";

export interface ControlPlaneDeps {
  config: Config;
  repos: Repositories;
  recordings: RecordingStore;
  snapshots: SpaceSnapshots;
  spaces: SpacesService;
  accounts: AccountsService;
  shared: SharedState;
  bus: Bus<SpaceEvents>;
  limits: RateLimits;
  metrics: Metrics;
  /** The durable job queue (notifications, reminders, webhooks): any API node works it. */
  jobs: JobQueue;
  /** The database itself, for the domains whose queries live beside them (webhooks, discovery, notifications). */
  db: Db;
  /** The address people use (PUBLIC_URL, else where this node listens), for outgoing links. */
  publicUrl: () => string;
  log: Logger;
}

/**
 * The control plane of one node (ROLE=api or all): joining (the admission gate, tickets,
 * counts), the guard in front of it (network limits, attack mode, proof of work), live
 * pushes to logged-in people, replays, and the timers that belong to them. It holds nothing
 * another API node needs: the line, counts, limits and signals live in the shared state.
 */
export class ControlPlane {
  readonly admission: AdmissionService;
  readonly guard: AttackGuard;
  readonly hub: LiveHub;
  readonly recordings: RecordingsService;
  /** Reminders of scheduled Spaces and the host's audience forecast. */
  readonly reminders: RemindersService;
  /** The .ics of Spaces and hosts. */
  readonly calendar: CalendarService;
  readonly discovery: DiscoveryService;
  readonly jobs: JobQueue;
  readonly notifications: Notifications;
  readonly webhooks: Webhooks;
  /** Hosts' blocks of people from their Spaces. */
  readonly blocks: HostBlocks;
  /** Shared links: page heads, cards, oEmbed, hosts' feeds. */
  readonly sharing: Sharing;
  /** Notices, decisions, statements of reasons, appeals, the DSA export (src/moderation). */
  readonly moderation: Moderation;
  private readonly directory: SpaceDirectory;
  private readonly signalSync: FleetSignalSync;
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(
    private readonly deps: ControlPlaneDeps,
    parts: {
      admission: AdmissionService;
      directory: SpaceDirectory;
      guard: AttackGuard;
      detector: AttackDetector;
      notifications: Notifications;
      hlsUrls: HlsUrlSigner;
    },
  ) {
    const { config, repos, spaces, bus, metrics, log, shared } = deps;
    this.admission = parts.admission;
    this.jobs = deps.jobs;
    this.notifications = parts.notifications;
    this.directory = parts.directory;
    this.guard = parts.guard;
    this.signalSync = new FleetSignalSync(parts.detector, shared.signals, {
      onError: (error) => log.warn({ err: error }, "attack signals: sync failed"),
    });
    this.hub = new LiveHub(spaces, bus, metrics, log.child({ component: "live" }));
    this.recordings = new RecordingsService(
      repos,
      deps.recordings,
      config.recordingRetentionDays,
      deps.limits.clips,
    );
    this.webhooks = new Webhooks({
      config,
      db: deps.db,
      jobs: deps.jobs,
      bus,
      spaces,
      recordings: this.recordings,
      limiter: deps.limits.webhooks,
      publicUrl: deps.publicUrl,
      log: log.child({ component: "webhooks" }),
    });
    this.reminders = new RemindersService(repos, deps.limits.reminders, {
      admitRatePerSecond: config.admitRatePerSecond,
      maxListeners: config.maxListenersPerSpace,
      notifySpreadSeconds: config.notifySpreadSeconds,
    });
    this.calendar = new CalendarService(repos);
    this.moderation = new Moderation({
      db: deps.db,
      spaces,
      accounts: deps.accounts,
      recordings: this.recordings,
      // A moderator plays a live Space as an admitted listener would.
      livePlaylist: (spaceId) => parts.hlsUrls.playlistUrl(spaceId, Date.now()),
      inbox: this.notifications.inbox,
      reportLimiter: deps.limits.reports,
      // A reach limit set or lifted: every list refreshes (the Space change event).
      reachChanged: (spaceIds) => {
        for (const spaceId of spaceIds) bus.publish("spaceChanged", { spaceId, accountIds: [] });
        this.discovery.spaceChanged();
      },
      log: log.child({ component: "moderation" }),
    });
    const reach = this.moderation.reach;
    this.notifications.triggers.silenceGoLiveWhen((spaceId, hostId) =>
      reach.spaceLimited(spaceId, hostId),
    );
    this.blocks = new HostBlocks(repos, spaces, bus);
    this.discovery = new DiscoveryService(
      {
        queries: new ReachFilteredQueries(deps.db, reach),
        search: new ReachFilteredSearch(deps.db, reach),
        accounts: repos.accounts,
        documents: reachFilteredDocuments(
          snapshotDocuments(deps.snapshots, (s) => spaces.toDocument(s)),
          reach,
        ),
        listeners: (id) => this.admission.listeners(id),
        reminders: (ids) => repos.reminders.countsOf(ids),
        onError: (error) => log.warn({ err: error }, "discovery: refresh failed"),
      },
      { ...defaultDiscoverySettings, recordingRetentionDays: config.recordingRetentionDays },
    );
    bus.subscribe("spaceChanged", () => this.discovery.spaceChanged());
    // A media node found a live Space abandoned: every API node hears it, the first ends it
    // (the Space row's lock orders them; the others find it ended).
    bus.subscribe("spaceIdle", ({ spaceId, idleSince }) => {
      spaces
        .endIdle(spaceId)
        .then((ended) => ended && log.info({ spaceId, idleSince }, "idle Space ended"))
        .catch((error) => log.warn({ err: error, spaceId }, "could not end an idle Space"));
    });
    this.sharing = new Sharing({
      spaces,
      recordings: this.recordings,
      accounts: deps.accounts,
      webDir: config.webDir,
      publicUrl: config.publicUrl,
    });
    this.sharing.hideFromEmbedsWhen((subject) =>
      subject.kind === "space"
        ? reach.spaceLimited(subject.space.id, subject.space.host.id)
        : subject.kind === "clip" &&
          (reach.clipIdLimited(subject.clip.id) ||
            reach.spaceLimited(subject.space.id, subject.space.host.id)),
    );
  }

  static async create(deps: ControlPlaneDeps): Promise<ControlPlane> {
    const { config, repos, snapshots, shared, bus, limits, metrics, log } = deps;
    const detector = new AttackDetector({
      admitRatePerSecond: config.admitRatePerSecond,
      arrivalsMultiple: config.attackArrivalsMultiple,
      mode: config.attackMode,
    });
    const guard = new AttackGuard({
      limits: limits.network,
      detector,
      pow: new ProofOfWork({
        ...(config.altchaHmacKey ? { secret: config.altchaHmacKey } : {}),
        maxNumber: config.altchaMaxNumber,
        nonces: shared.nonces,
      }),
    });
    guard.registerMetrics(metrics.registry);
    const notifications = await Notifications.create({
      config,
      db: deps.db,
      repos,
      spaces: deps.spaces,
      shared,
      jobs: deps.jobs,
      log,
    });
    const operatorMode = await shared.signals.operatorMode().catch(() => null);
    if (operatorMode) guard.mode = operatorMode;

    let admission: AdmissionService | undefined;
    const directory = new SpaceDirectory(
      {
        load: async (id) => {
          const snapshot = await snapshots.get(id);
          if (!snapshot) return null;
          const removed = [...snapshot.participants.values()].filter((p) => p.removed);
          return toAdmissionSpace(
            snapshot.space,
            new Set(removed.map((p) => p.accountId)),
            snapshot.blocked,
          );
        },
        loadOpen: async () => {
          const [live, scheduled] = await Promise.all([
            repos.spaces.list({ state: "live", limit: 10_000 }),
            repos.spaces.list({ state: "scheduled", limit: 10_000 }),
          ]);
          // Removed people and the hosts' blocked ones get no ticket and no playlist URL,
          // from the first request after a start (one query each for all open Spaces).
          const open = [...live, ...scheduled];
          const removed = await repos.participants.removedFrom(open.map((s) => s.id));
          const blocks = await repos.blocks.blockedBy(open.map((s) => s.hostId));
          return open.map((s) => toAdmissionSpace(s, removed.get(s.id), blocks.get(s.hostId)));
        },
      },
      (previous, next) => admission?.spaceChanged(previous, next),
    );
    const hlsUrls = new HlsUrlSigner(
      await loadHlsUrlSecret(config.hlsUrlSecret, config.dataDir),
      config.hlsUrlWindowSeconds,
    );
    admission = new AdmissionService(
      directory,
      new TicketSigner(
        await loadTicketKeys(config.ticketKeys, config.dataDir),
        config.ticketTtlSeconds,
      ),
      hlsUrls,
      admissionSettings(config),
      { lines: shared.admission, presence: shared.presence },
      {
        guard,
        saveAudience: async (spaceId, figures) => {
          await repos.spaces.saveAudience(spaceId, {
            peakListeners: figures.peak,
            uniqueListeners: figures.unique,
          });
          snapshots.invalidate(spaceId);
          bus.publish("spaceChanged", { spaceId, accountIds: [] });
        },
        onError: (error, spaceId) =>
          log.error({ err: error, spaceId }, "admission: could not store audience figures"),
        onListener: (spaceId, accountId) => notifications.listeners.listened(spaceId, accountId),
      },
    );
    bus.subscribe("spaceChanged", ({ spaceId }) => void directory.refresh(spaceId));
    await directory.preload();
    return new ControlPlane(deps, {
      admission,
      directory,
      guard,
      detector,
      notifications,
      hlsUrls,
    });
  }

  /** Starts the timers: reaction batches, listener counts, attack signals, sweeps. */
  start(): void {
    const { config, repos, spaces, log } = this.deps;
    this.signalSync.start();
    this.moderation.start();
    this.notifications
      .start()
      .catch((error) => log.error({ err: error }, "notifications: could not start"));
    void this.webhooks
      .start()
      .catch((error) => log.error({ err: error }, "webhooks: could not start the delivery worker"));
    this.every(config.reactionFlushMs, () => spaces.flushReactions());
    // Listener counts move with heartbeats, not socket events: push them when they change.
    let counting = false;
    this.every(5_000, () => {
      if (counting) return;
      counting = true;
      this.admission
        .refreshCounts()
        .then((changed) => {
          for (const id of changed) this.hub.refreshCounts(id);
        })
        .catch((error) => log.warn({ err: error }, "listener counts: refresh failed"))
        .finally(() => {
          counting = false;
        });
    });
    // Expired sessions, recordings and webhook logs go at start (a node restarted often must not keep
    // them forever), then every hour.
    const sweep = () => {
      void repos.sessions
        .deleteExpired(new Date())
        .catch((error) => log.warn({ err: error }, "session sweep failed"));
      void this.recordings
        .sweep()
        .then((n) => n > 0 && log.info({ deleted: n }, "recordings past retention deleted"))
        .catch((error) => log.warn({ err: error }, "recording sweep failed"));
      void this.webhooks
        .sweep()
        .catch((error) => log.warn({ err: error }, "webhook log sweep failed"));
    };
    sweep();
    this.every(3_600_000, sweep);
  }

  /** Stops the timers and closes the live sockets. */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    this.signalSync.stop();
    this.moderation.stop();
    this.webhooks.stop();
    this.hub.close();
    void this.notifications.stop();
    void this.sharing.close();
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

function toAdmissionSpace(
  s: SpaceRecord,
  removed = new Set<string>(),
  blocked: ReadonlySet<string> = new Set(),
): AdmissionSpace {
  return {
    id: s.id,
    state: s.state,
    scheduledFor: s.scheduledFor,
    requireLogin: s.requireLogin,
    removed,
    blocked,
  };
}
