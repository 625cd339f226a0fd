import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AccountsService } from "../accounts/accounts-service.ts";
import { LoginLimiter } from "../accounts/login-limiter.ts";
import { MemoryBus } from "../bus/memory-bus.ts";
import type { Config } from "../config/config.ts";
import { ReactionAggregator } from "../domain/spaces/reactions.ts";
import { AmphiError } from "../errors/error-registry.ts";
import { buildHttpApp } from "../http/app.ts";
import { Metrics } from "../http/metrics.ts";
import { LiveHub } from "../live/live-hub.ts";
import { Presence } from "../live/presence.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import { SpaceSnapshots } from "../spaces/space-snapshots.ts";
import { type ReactionLimiter, SpacesService } from "../spaces/spaces-service.ts";
import { openStore, type Store } from "../store/database.ts";
import { repositories } from "../store/repositories/index.ts";

export interface AmphiServer {
  app: FastifyInstance;
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

function reactionLimiter(perSecond: number): ReactionLimiter {
  const limiter = new RateLimiterMemory({ keyPrefix: "reactions", points: perSecond, duration: 1 });
  return {
    take: async (accountId) => {
      try {
        await limiter.consume(accountId);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        throw new AmphiError("AMPHI_RATE_LIMITED", {
          message: "Slow down: too many reactions.",
          retryAfter: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
        });
      }
    },
  };
}

/** Wires every part of one Amphi process together and starts listening. */
export async function startAmphi(
  config: Config,
  options: { logger?: Logger; store?: Store } = {},
): Promise<AmphiServer> {
  const log = options.logger ?? pino({ level: config.logLevel, base: { service: "amphi" } });
  const startedAt = performance.now();
  const store =
    options.store ??
    (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const repos = repositories(store.db);
  const metrics = new Metrics();
  const bus = new MemoryBus<SpaceEvents>((error) =>
    log.error({ err: error }, "bus handler failed"),
  );
  const presence = new Presence();
  const snapshots = new SpaceSnapshots(repos);
  const accounts = new AccountsService(
    repos,
    new LoginLimiter({
      failuresPerAccount: config.loginFailuresPerAccount,
      attemptsPerIp: config.loginAttemptsPerIp,
      windowSeconds: config.loginWindowSeconds,
    }),
    config.sessionDays,
  );
  const spaces = new SpacesService(
    store.db,
    snapshots,
    bus,
    presence,
    new ReactionAggregator(),
    reactionLimiter(config.reactionsPerSecond),
  );
  const hub = new LiveHub(spaces, bus, presence, metrics, log.child({ component: "live" }));
  const reactionTimer = setInterval(() => spaces.flushReactions(), config.reactionFlushMs);
  const sessionSweep = setInterval(() => {
    void repos.sessions
      .deleteExpired(new Date())
      .catch((error) => log.warn({ err: error }, "session sweep failed"));
  }, 3_600_000);
  sessionSweep.unref();

  let accepting = true;
  const app = await buildHttpApp({
    logger: log,
    bodyLimitBytes: config.bodyLimitBytes,
    secureCookies: config.publicUrl?.startsWith("https:") ?? false,
    webDir: config.webDir,
    version,
    metrics,
    accounts,
    spaces,
    hub,
    pingDatabase: () => store.ping(),
    isAcceptingTraffic: () => accepting,
  });
  await app.listen({ port: config.port, host: config.host });
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
      accepting = false;
      clearInterval(reactionTimer);
      clearInterval(sessionSweep);
      hub.close();
      const grace = setTimeout(
        () => app.server.closeAllConnections(),
        config.shutdownGraceSeconds * 1000,
      );
      grace.unref();
      await app.close();
      clearTimeout(grace);
      await store.close();
      log.info("amphi stopped");
    })();
    return stopping;
  };
  return { app, store, logger: log, url, stop };
}
