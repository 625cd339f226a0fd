import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { type AccountEvents, AccountsService } from "../accounts/accounts-service.ts";
import { admissionSettings } from "../admission/admission-service.ts";
import { loadHlsUrlSecret } from "../admission/hls-url-secret.ts";
import { HlsUrlSigner } from "../admission/hls-url-signer.ts";
import type { Config } from "../config/config.ts";
import { ControlPlane } from "../control/control-plane.ts";
import { MediaLocator } from "../control/media-locator.ts";
import type { DiscoveryService } from "../discovery/discovery-service.ts";
import { ReactionAggregator } from "../domain/spaces/reactions.ts";
import { buildHttpApp } from "../http/app.ts";
import { Metrics } from "../http/metrics.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import { openJobQueue } from "../jobs/pg-boss-queue.ts";
import { createRateLimits } from "../limits/rate-limits.ts";
import { MediaPlane } from "../media/media-plane.ts";
import type { HlsOrigin } from "../media/origin/hls-origin.ts";
import type { MediaRooms } from "../media/room/media-rooms.ts";
import type { Notifications } from "../notifications/notifications.ts";
import { EventLoopLagMonitor } from "../protection/event-loop-lag.ts";
import { LoadShedder } from "../protection/load-shedder.ts";
import { FileRecordingStore } from "../recordings/store/file-recording-store.ts";
import type { RecordingFiles } from "../recordings/store/recording-files.ts";
import { SqlRecordingStore } from "../recordings/store/sql-recording-store.ts";
import { MemorySharedState } from "../shared-state/memory/memory-shared-state.ts";
import type { SharedState } from "../shared-state/ports.ts";
import { RedisSharedState } from "../shared-state/redis/redis-shared-state.ts";
import type { SharedStateSettings } from "../shared-state/settings.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import { SpaceSnapshots } from "../spaces/space-snapshots.ts";
import { SpacesService } from "../spaces/spaces-service.ts";
import { openStore, type Store } from "../store/database.ts";
import { secureDataDir } from "../store/private-files.ts";
import { repositories } from "../store/repositories/index.ts";

export interface AmphiServer {
  app: FastifyInstance;
  /** The LL-HLS origin and the rooms of the media plane; null on an API node. */
  origin: HlsOrigin | null;
  media: MediaRooms | null;
  /** Notifications of the control plane (job handlers, fan-out progress); null on a media node. */
  notifications: Notifications | null;
  /** Discovery's reads (`liveNowFor`: what benchmarks time); null on a media node. */
  discovery: DiscoveryService | null;
  store: Store;
  shared: SharedState;
  logger: Logger;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Drains requests (up to the grace period), closes sockets and the database. Idempotent. */
  stop(): Promise<void>;
}

const version = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

/**
 * The composition root: opens the database and the shared state, builds the planes this
 * node's role runs (control: ROLE=api|all; media: ROLE=media|all), serves them over HTTP.
 * It only wires; each plane owns its timers and policies.
 */
export async function startAmphi(
  config: Config,
  options: {
    logger?: Logger;
    store?: Store;
    /** The file system under DATA_DIR's recordings (a failing disk in tests; node:fs). */
    recordingFiles?: RecordingFiles;
  } = {},
): Promise<AmphiServer> {
  const log =
    options.logger ??
    pino({
      level: config.logLevel,
      base: {
        service: "amphi",
        role: config.role,
        ...(config.nodeName ? { node: config.nodeName } : {}),
      },
      // Database errors carry their query parameters (password hashes, tokens): never log them.
      redact: { paths: ["err.params", "err.query", "params"], censor: "[redacted]" },
    });
  const startedAt = performance.now();
  // DATA_DIR (database, ticket key, recordings) is for this account's eyes only.
  secureDataDir(config.dataDir);
  const store =
    options.store ??
    (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const shared = await openSharedState(config, log);
  const runsControl = config.role !== "media";
  const runsMedia = config.role !== "api";
  const repos = repositories(store.db);
  // Recordings outlive a media node in a fleet: in PostgreSQL there, in DATA_DIR alone.
  const recordings =
    store.kind === "postgres"
      ? new SqlRecordingStore(store.db)
      : new FileRecordingStore(
          config.dataDir,
          options.recordingFiles ? { files: options.recordingFiles } : {},
        );
  const metrics = new Metrics();
  const bus = shared.bus<SpaceEvents>("spaces");
  const limits = createRateLimits(config, shared.limits);
  const snapshots = new SpaceSnapshots(repos);
  const accounts = new AccountsService(repos, limits, config.sessionDays);
  const accountBus = shared.bus<AccountEvents>("accounts");
  accounts.shareSessionsThrough(accountBus);
  // Every plane keeps its Space snapshots current from the change events, wherever they arise.
  bus.subscribe("spaceChanged", ({ spaceId }) => snapshots.invalidate(spaceId));
  let control: ControlPlane | null = null;
  const spaces = new SpacesService(
    store.db,
    snapshots,
    bus,
    {
      count: (id) => control?.admission.listeners(id) ?? 0,
      figures: async (id) => (await control?.admission.audience(id)) ?? null,
    },
    new ReactionAggregator(),
    {
      reactions: limits.reactions,
      listenerReactions: limits.listenerReactions,
      stageActions: limits.stageActions,
      spaceCreations: limits.spaceCreations,
      maxLiveSpaces: config.maxLiveSpacesPerAccount,
    },
  );
  // Started once listening: the start-up itself (opening the database) blocks the loop.
  const lagMonitor = new EventLoopLagMonitor();
  const shedder = new LoadShedder(lagMonitor, {
    normalLagMs: config.loadShedLagMs,
    criticalLagMs: config.loadShedCriticalLagMs,
  });
  shedder.registerMetrics(metrics.registry);
  // The durable queue of the control plane, in the same database (docs/architecture.md).
  const jobs: JobQueue | null = runsControl
    ? await openJobQueue(
        store,
        { databaseUrl: config.databaseUrl },
        log.child({ component: "jobs" }),
      ).catch(async (error: unknown) => {
        await shared.close();
        await store.close();
        throw error;
      })
    : null;
  control =
    runsControl && jobs
      ? await ControlPlane.create({
          config,
          jobs,
          db: store.db,
          publicUrl: () => (config.publicUrl ?? listeningUrl).replace(/\/$/, ""),
          repos,
          recordings,
          snapshots,
          spaces,
          accounts,
          shared,
          bus,
          limits,
          metrics,
          log,
        })
      : null;
  // A follow changes that person's discovery lists, on every node.
  accountBus.subscribe("followsChanged", ({ accountId }) =>
    control?.discovery.followsChanged(accountId),
  );
  const media = runsMedia
    ? new MediaPlane({
        config,
        repos,
        recordings,
        spaces,
        shared,
        bus,
        log,
        metrics,
        ...(config.role === "media" ? { placeAs: () => mediaNodeRef(config, listeningUrl) } : {}),
      })
    : null;
  // The media plane checks the signed LL-HLS URLs the control plane hands out (same secret).
  const hlsUrls = media
    ? new HlsUrlSigner(
        await loadHlsUrlSecret(config.hlsUrlSecret, config.dataDir),
        config.hlsUrlWindowSeconds,
      )
    : null;
  let listeningUrl = "";
  const mediaOn = media !== null && config.mediaPlane === "on";
  let accepting = true;
  let app: FastifyInstance;
  try {
    app = await buildHttpApp({
      logger: log,
      bodyLimitBytes: config.bodyLimitBytes,
      secureCookies: config.publicUrl?.startsWith("https:") ?? false,
      securityHeaders: securityHeadersOf(config),
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
      webDir: config.webDir,
      version,
      metrics,
      accounts,
      spaces,
      shedder,
      control: control && {
        hub: control.hub,
        recordings: control.recordings,
        reminders: control.reminders,
        calendar: control.calendar,
        discovery: control.discovery,
        sharing: control.sharing,
        admission: control.admission,
        guard: control.guard,
        webhooks: control.webhooks.service,
        opsToken: config.opsToken,
        signals: shared.signals,
        notifications: control.notifications,
        moderation: control.moderation,
        blocks: control.blocks,
      },
      media: media &&
        hlsUrls && {
          origin: media.origin,
          hlsUrls,
          webrtc: mediaOn ? { ingest: media.ingest, sfu: media.sfu } : null,
        },
      mediaProxy: media ? null : { locator: new MediaLocator(shared.placement) },
      readyWithoutDatabase: config.role !== "all",
      metricsToken: config.metricsToken,
      pingDatabase: () => store.ping(),
      isAcceptingTraffic: () => accepting,
    });
    // A flash crowd opens connections faster than a busy event loop accepts them: Node's
    // default queue of 511 drops the rest, which a balancer then sees as a dead node. The
    // kernel caps this at net.core.somaxconn (4096 on current kernels).
    await app.listen({ port: config.port, host: config.host, backlog: 4096 });
  } catch (error) {
    // Nothing may outlive a failed start (a port in use, say): close what was opened.
    control?.stop();
    await jobs?.stop();
    await shared.close();
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  listeningUrl = url;
  lagMonitor.start();
  if (mediaOn) await media.start();
  control?.start();

  log.info(
    {
      url,
      database: store.kind,
      sharedState: shared.kind,
      startupMs: Math.round(performance.now() - startedAt),
    },
    "amphi listening",
  );

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      // Close cascade (docs/architecture.md): refuse new work, close live sockets, drain
      // requests in flight (forced after the grace period), then the database.
      accepting = false;
      lagMonitor.stop();
      control?.stop();
      await media?.stop();
      const grace = setTimeout(() => {
        app.server.closeAllConnections();
        for (const socket of app.websocketServer?.clients ?? []) socket.terminate();
      }, config.shutdownGraceSeconds * 1000);
      grace.unref();
      await app.close();
      clearTimeout(grace);
      await jobs?.stop();
      await shared.close();
      await store.close();
      log.info("amphi stopped");
    })();
    return stopping;
  };
  return {
    app,
    origin: media?.origin ?? null,
    media: media?.rooms ?? null,
    notifications: control?.notifications ?? null,
    discovery: control?.discovery ?? null,
    store,
    shared,
    logger: log,
    url,
    stop,
  };
}

/** HSTS only over https (PUBLIC_URL) unless HSTS_MAX_AGE_SECONDS says otherwise. */
function securityHeadersOf(config: Config): { hstsMaxAgeSeconds: number; https: boolean } {
  const https = config.publicUrl?.startsWith("https:") ?? false;
  return { https, hstsMaxAgeSeconds: config.hstsMaxAgeSeconds ?? (https ? 15_552_000 : 0) };
}

/** In-process state for one node; Redis when REDIS_URL is set (a fleet). */
async function openSharedState(config: Config, log: Logger): Promise<SharedState> {
  const admission = admissionSettings(config);
  const settings: SharedStateSettings = { gate: admission.gate, counter: admission.counter };
  const onHandlerError = (error: unknown) => log.error({ err: error }, "bus handler failed");
  if (!config.redisUrl) return new MemorySharedState(settings, onHandlerError);
  let lastWarning = 0;
  return RedisSharedState.connect({
    url: config.redisUrl,
    node: { name: nodeNameOf(config), role: config.role },
    settings,
    onHandlerError,
    onDegraded: (error) => {
      // One line per 10 s while Redis is away, not one per request.
      if (Date.now() - lastWarning < 10_000) return;
      lastWarning = Date.now();
      log.warn({ err: error }, "shared state: Redis unavailable, answering from local state");
    },
  });
}

function nodeNameOf(config: Config): string {
  return config.nodeName ?? `${config.role}-${config.host}-${config.port}`;
}

/** How the fleet reaches this media node: ADVERTISE_URL, else the address it listens on. */
function mediaNodeRef(config: Config, listeningUrl: string): { name: string; url: string } {
  const url = config.advertiseUrl ?? listeningUrl;
  return { name: nodeNameOf(config), url: url.replace(/\/$/, "") };
}
