import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { AccountsService } from "../accounts/accounts-service.ts";
import { LoginLimiter } from "../accounts/login-limiter.ts";
import { AdmissionService, admissionSettings } from "../admission/admission-service.ts";
import { type AdmissionSpace, SpaceDirectory } from "../admission/space-directory.ts";
import { loadTicketKeys } from "../admission/ticket-keys.ts";
import { TicketSigner } from "../admission/ticket-signer.ts";
import { MemoryBus } from "../bus/memory-bus.ts";
import type { Config } from "../config/config.ts";
import { ReactionAggregator } from "../domain/spaces/reactions.ts";
import { buildHttpApp } from "../http/app.ts";
import { Metrics } from "../http/metrics.ts";
import { Limiter } from "../limits/limiter.ts";
import { LiveHub } from "../live/live-hub.ts";
import { HlsOrigin } from "../media/origin/hls-origin.ts";
import { MediaRooms } from "../media/room/media-rooms.ts";
import { SpeakerSfu } from "../media/sfu/speaker-sfu.ts";
import { WhipIngest } from "../media/whip/whip-sessions.ts";
import { AttackDetector } from "../protection/attack-detector.ts";
import { AttackGuard } from "../protection/attack-guard.ts";
import { EventLoopLagMonitor } from "../protection/event-loop-lag.ts";
import { LoadShedder } from "../protection/load-shedder.ts";
import { NetworkLimits } from "../protection/network-limits.ts";
import { ProofOfWork } from "../protection/proof-of-work.ts";
import { RecordingsService } from "../recordings/recordings-service.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import { SpaceSnapshots } from "../spaces/space-snapshots.ts";
import { SpacesService } from "../spaces/spaces-service.ts";
import { openStore, type Store } from "../store/database.ts";
import { repositories } from "../store/repositories/index.ts";
import type { SpaceRecord } from "../store/repositories/spaces-repository.ts";

export interface AmphiServer {
  app: FastifyInstance;
  origin: HlsOrigin;
  media: MediaRooms;
  store: Store;
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

/** Wires every part of one Amphi process together and starts listening. */
export async function startAmphi(
  config: Config,
  options: { logger?: Logger; store?: Store } = {},
): Promise<AmphiServer> {
  const log =
    options.logger ??
    pino({
      level: config.logLevel,
      base: { service: "amphi" },
      // Database errors carry their query parameters (password hashes, tokens): never log them.
      redact: { paths: ["err.params", "err.query", "params"], censor: "[redacted]" },
    });
  const startedAt = performance.now();
  const store =
    options.store ??
    (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const repos = repositories(store.db);
  const metrics = new Metrics();
  const bus = new MemoryBus<SpaceEvents>((error) =>
    log.error({ err: error }, "bus handler failed"),
  );
  const snapshots = new SpaceSnapshots(repos);
  const accounts = new AccountsService(
    repos,
    new LoginLimiter({
      failuresPerAccount: config.loginFailuresPerAccount,
      attemptsPerIp: config.loginAttemptsPerIp,
      windowSeconds: config.loginWindowSeconds,
    }),
    new Limiter(
      "signup",
      { points: config.signupsPerIp, windowSeconds: config.signupWindowSeconds },
      "Too many sign-ups from your network; try again later.",
    ),
    config.sessionDays,
  );
  // Joining (src/admission): the gate, tickets and listener counts, all from memory.
  const toAdmissionSpace = (s: SpaceRecord, removed = new Set<string>()): AdmissionSpace => ({
    id: s.id,
    state: s.state,
    scheduledFor: s.scheduledFor,
    requireLogin: s.requireLogin,
    removed,
  });
  // In front of the gate: per-network limits, attack mode with proof of work, load shedding.
  // Started once listening: the start-up itself (opening the database) blocks the loop.
  const lagMonitor = new EventLoopLagMonitor();
  const shedder = new LoadShedder(lagMonitor, {
    normalLagMs: config.loadShedLagMs,
    criticalLagMs: config.loadShedCriticalLagMs,
  });
  shedder.registerMetrics(metrics.registry);
  const perWindow = (points: number) => ({
    points,
    windowSeconds: config.ticketLimitWindowSeconds,
  });
  const guard = new AttackGuard({
    limits: new NetworkLimits({
      limits: {
        normal: {
          address: perWindow(config.ticketsPerAddress),
          prefix: perWindow(config.ticketsPerPrefix),
        },
        attack: {
          address: perWindow(Math.max(1, Math.floor(config.ticketsPerAddress / 4))),
          prefix: perWindow(Math.max(1, Math.floor(config.ticketsPerPrefix / 4))),
        },
      },
      exempt: (config.networkLimitExempt ?? "")
        .split(",")
        .map((r) => r.trim())
        .filter(Boolean),
    }),
    detector: new AttackDetector({
      admitRatePerSecond: config.admitRatePerSecond,
      arrivalsMultiple: config.attackArrivalsMultiple,
      mode: config.attackMode,
    }),
    pow: new ProofOfWork({
      ...(config.altchaHmacKey ? { secret: config.altchaHmacKey } : {}),
      maxNumber: config.altchaMaxNumber,
    }),
  });
  guard.registerMetrics(metrics.registry);
  let admission: AdmissionService | undefined;
  const directory = new SpaceDirectory(
    {
      load: async (id) => {
        const snapshot = await snapshots.get(id);
        if (!snapshot) return null;
        const removed = [...snapshot.participants.values()].filter((p) => p.removed);
        return toAdmissionSpace(snapshot.space, new Set(removed.map((p) => p.accountId)));
      },
      loadOpen: async () => {
        const [live, scheduled] = await Promise.all([
          repos.spaces.list({ state: "live", limit: 10_000 }),
          repos.spaces.list({ state: "scheduled", limit: 10_000 }),
        ]);
        // Removals are rare before a Space fills up; the first change event loads them.
        return [...live, ...scheduled].map((s) => toAdmissionSpace(s));
      },
    },
    (previous, next) => admission?.spaceChanged(previous, next),
  );
  admission = new AdmissionService(
    directory,
    new TicketSigner(
      await loadTicketKeys(config.ticketKeys, config.dataDir),
      config.ticketTtlSeconds,
    ),
    admissionSettings(config),
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
    },
  );
  const joins = admission;
  bus.subscribe("spaceChanged", ({ spaceId }) => void directory.refresh(spaceId));
  await directory.preload();
  const spaces = new SpacesService(
    store.db,
    snapshots,
    bus,
    { count: (id) => joins.listeners(id) },
    new ReactionAggregator(),
    {
      reactions: new Limiter(
        "reactions",
        { points: config.reactionsPerSecond, windowSeconds: 1 },
        "Slow down: too many reactions.",
      ),
      stageActions: new Limiter(
        "stage",
        { points: config.stageActionsPerSecond, windowSeconds: 1 },
        "Slow down: too many stage actions.",
      ),
    },
  );
  const recordings = new RecordingsService(repos, config.dataDir, config.recordingRetentionDays);
  const origin = new HlsOrigin({
    partTarget: config.hlsPartSeconds,
    segmentTarget: config.hlsSegmentSeconds,
  });
  // The WebRTC side: speakers publish over WHIP; each hears the others through the SFU.
  const network = { hostAddresses: config.webrtcHostAddresses.split(",").map((a) => a.trim()) };
  const sfu = new SpeakerSfu({ network });
  const ingest = new WhipIngest({
    network,
    onRtp: (spaceId, speakerId, packet) => {
      // Muted speakers and people no longer on stage are heard by nobody.
      if (!media.isAudible(spaceId, speakerId)) return;
      sfu.forward(spaceId, speakerId, packet);
      media.pushRtp(spaceId, speakerId, packet);
    },
    onSpeakerState: (spaceId, speakerId, state) => sfu.speakerState(spaceId, speakerId, state),
    onError: (error) => log.warn({ err: error }, "webrtc: session error"),
  });
  const media: MediaRooms = new MediaRooms({
    snapshot: (id) => spaces.snapshot(id),
    liveSpaceIds: async () =>
      (await repos.spaces.list({ state: "live", limit: 10_000 })).map((s) => s.id),
    origin,
    bus,
    dataDir: config.dataDir,
    bitrate: config.mediaBitrate,
    log: log.child({ component: "media" }),
    closeIngest: (spaceId, speakerId) => {
      const closing = speakerId
        ? [ingest.closeSpeaker(spaceId, speakerId), sfu.closeSpeaker(spaceId, speakerId)]
        : [ingest.closeSpace(spaceId), sfu.closeSpace(spaceId)];
      void Promise.all(closing).catch((error) => log.warn({ err: error }, "webrtc: close failed"));
    },
  });
  const hub = new LiveHub(spaces, bus, metrics, log.child({ component: "live" }));
  let accepting = true;
  let app: FastifyInstance;
  try {
    app = await buildHttpApp({
      logger: log,
      bodyLimitBytes: config.bodyLimitBytes,
      secureCookies: config.publicUrl?.startsWith("https:") ?? false,
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
      webDir: config.webDir,
      version,
      metrics,
      accounts,
      spaces,
      hub,
      origin,
      recordings,
      admission: joins,
      guard,
      shedder,
      opsToken: config.opsToken,
      webrtc: config.mediaPlane === "on" ? { ingest, sfu } : null,
      pingDatabase: () => store.ping(),
      isAcceptingTraffic: () => accepting,
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // Nothing may outlive a failed start (a port in use, say): close what was opened.
    hub.close();
    await store.close();
    throw error;
  }
  lagMonitor.start();
  if (config.mediaPlane === "on") await media.start();
  const reactionTimer = setInterval(() => spaces.flushReactions(), config.reactionFlushMs);
  // Listener counts move with heartbeats, not socket events: push them when they change.
  const lastCounts = new Map<string, number>();
  const countsTimer = setInterval(() => {
    const ids = joins.activeSpaceIds();
    const active = new Set(ids);
    for (const id of lastCounts.keys()) if (!active.has(id)) lastCounts.delete(id);
    for (const id of ids) {
      const n = joins.listeners(id);
      if (lastCounts.get(id) === n) continue;
      lastCounts.set(id, n);
      hub.refreshCounts(id);
    }
  }, 5_000);
  countsTimer.unref();
  const sessionSweep = setInterval(() => {
    void repos.sessions
      .deleteExpired(new Date())
      .catch((error) => log.warn({ err: error }, "session sweep failed"));
    void recordings
      .sweep()
      .then((n) => n > 0 && log.info({ deleted: n }, "recordings past retention deleted"))
      .catch((error) => log.warn({ err: error }, "recording sweep failed"));
  }, 3_600_000);
  sessionSweep.unref();

  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log.info(
    { url, database: store.kind, startupMs: Math.round(performance.now() - startedAt) },
    "amphi listening",
  );

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      // Close cascade (docs/architecture.md): refuse new work, close live sockets, drain
      // requests in flight (forced after the grace period), then the database.
      accepting = false;
      clearInterval(reactionTimer);
      clearInterval(countsTimer);
      lagMonitor.stop();
      clearInterval(sessionSweep);
      hub.close();
      await Promise.all([ingest.close(), sfu.close()]);
      await media.close();
      origin.closeAll();
      const grace = setTimeout(() => {
        app.server.closeAllConnections();
        for (const socket of app.websocketServer?.clients ?? []) socket.terminate();
      }, config.shutdownGraceSeconds * 1000);
      grace.unref();
      await app.close();
      clearTimeout(grace);
      await store.close();
      log.info("amphi stopped");
    })();
    return stopping;
  };
  return { app, origin, media, store, logger: log, url, stop };
}
