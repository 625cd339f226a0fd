import fastifyCookie from "@fastify/cookie";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Logger } from "pino";
import type { AccountsService } from "../accounts/accounts-service.ts";
import type { AdmissionService } from "../admission/admission-service.ts";
import type { HlsUrlSigner } from "../admission/hls-url-signer.ts";
import type { CalendarService } from "../calendar/calendar-service.ts";
import type { MediaLocator } from "../control/media-locator.ts";
import { mediaProxyRoutes } from "../control/media-proxy-routes.ts";
import type { DiscoveryService } from "../discovery/discovery-service.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { LiveHub } from "../live/live-hub.ts";
import type { HlsOrigin } from "../media/origin/hls-origin.ts";
import type { SpeakerSfu } from "../media/sfu/speaker-sfu.ts";
import type { WhipIngest } from "../media/whip/whip-sessions.ts";
import type { Moderation } from "../moderation/moderation.ts";
import type { Notifications } from "../notifications/notifications.ts";
import type { AttackGuard } from "../protection/attack-guard.ts";
import {
  classifyAmphiRequest,
  installLoadShedding,
  type LoadShedder,
} from "../protection/load-shedder.ts";
import type { RecordingsService } from "../recordings/recordings-service.ts";
import type { RemindersService } from "../reminders/reminders-service.ts";
import type { FleetSignals } from "../shared-state/ports.ts";
import type { Sharing } from "../sharing/sharing.ts";
import type { HostBlocks } from "../spaces/host-blocks.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { WebhooksService } from "../webhooks/webhooks-service.ts";
import { authHook } from "./auth.ts";
import {
  answerClientError,
  installErrorHandler,
  sendError,
  toAmphiError,
} from "./error-handler.ts";
import type { Metrics } from "./metrics.ts";
import { registerOpenApi } from "./openapi.ts";
import { accountRoutes } from "./routes/account-routes.ts";
import { blockRoutes } from "./routes/block-routes.ts";
import { calendarRoutes } from "./routes/calendar-routes.ts";
import { discoveryRoutes } from "./routes/discovery-routes.ts";
import { embedRoutes } from "./routes/embed-routes.ts";
import { healthRoutes } from "./routes/health-routes.ts";
import { hlsRoutes } from "./routes/hls-routes.ts";
import { liveRoutes } from "./routes/live-routes.ts";
import { moderationRoutes } from "./routes/moderation-routes.ts";
import { notificationRoutes } from "./routes/notification-routes.ts";
import { protectionRoutes } from "./routes/protection-routes.ts";
import { pushRoutes } from "./routes/push-routes.ts";
import { recordingRoutes } from "./routes/recording-routes.ts";
import { reminderRoutes } from "./routes/reminder-routes.ts";
import { reportRoutes } from "./routes/report-routes.ts";
import { sharingRoutes } from "./routes/sharing-routes.ts";
import { spaceRoutes } from "./routes/space-routes.ts";
import { stageRoutes } from "./routes/stage-routes.ts";
import { ticketRoutes } from "./routes/ticket-routes.ts";
import { webRoutes } from "./routes/web-routes.ts";
import { webhookRoutes } from "./routes/webhook-routes.ts";
import { whipRoutes } from "./routes/whip-routes.ts";
import { installSecurityHeaders, type SecurityHeaderOptions } from "./security-headers.ts";

export interface HttpDeps {
  logger: Logger;
  bodyLimitBytes: number;
  secureCookies: boolean;
  publicUrl: string | undefined;
  /** "loopback", "true", "false" or a comma-separated list of addresses/CIDRs. */
  trustProxy: string;
  webDir: string;
  version: string;
  metrics: Metrics;
  /** CSP, framing, nosniff, Referrer-Policy, HSTS (security-headers.ts). */
  securityHeaders: SecurityHeaderOptions;
  accounts: AccountsService;
  spaces: SpacesService;
  shedder: LoadShedder;
  /** The API of the control plane (ROLE=api or all); null on a media node. */
  control: {
    hub: LiveHub;
    recordings: RecordingsService;
    reminders: RemindersService;
    calendar: CalendarService;
    discovery: DiscoveryService;
    sharing: Sharing;
    admission: AdmissionService;
    guard: AttackGuard;
    webhooks: WebhooksService;
    opsToken: string | undefined;
    signals: FleetSignals;
    notifications: Notifications;
    moderation: Moderation;
    blocks: HostBlocks;
  } | null;
  /** The media plane served here (ROLE=media or all). */
  media: {
    origin: HlsOrigin;
    /** Checks the signed LL-HLS URLs (the control plane hands them out). */
    hlsUrls: HlsUrlSigner;
    /** The WebRTC side; null when MEDIA_PLANE=off. */
    webrtc: { ingest: WhipIngest; sfu: SpeakerSfu } | null;
  } | null;
  /** ROLE=api: media URLs are forwarded to the Space's media node. */
  mediaProxy: { locator: MediaLocator } | null;
  /** A fleet node answers ready while the database is down (the join path needs none). */
  readyWithoutDatabase: boolean;
  /** METRICS_TOKEN: the Bearer token /metrics asks for; unset, loopback clients only. */
  metricsToken?: string | undefined;
  pingDatabase: () => Promise<void>;
  isAcceptingTraffic: () => boolean;
}

/** The HTTP face of Amphi: every route, the error contract, auth, metrics and the web app. */
export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes,
    trustProxy: parseTrustProxy(deps.trustProxy),
    requestIdHeader: "x-request-id",
    logController: new LogController({ requestIdLogLabel: "reqId", disableRequestLogging: true }),
    // While draining, requests get our own 503 (below), in the error contract.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any route runs (bad URL, over-long parameter).
    frameworkErrors: (error, _request, reply) => sendError(reply, toAmphiError(error)),
    // Requests Node's parser refuses (headers over 16 KB): our error body, not fastify's.
    clientErrorHandler: answerClientError,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  deps.metrics.instrument(app);
  // Under event-loop lag, everything but the listener's way in goes first: joining, the
  // Space document, HLS and the web app's own (static) pages keep being served.
  installLoadShedding(app, deps.shedder, (request) => {
    const priority = classifyAmphiRequest(request.method, request.url);
    const { method, url } = request;
    const page = (method === "GET" || method === "HEAD") && !url.startsWith("/api/");
    return priority === "normal" && (page || isSpaceDocument(method, url)) ? "critical" : priority;
  });

  // The hooks every request runs are callback hooks, not async ones: none of them waits, and
  // an async hook costs a promise and a trip through the microtask queue per request.
  app.addHook("onRequest", (request, _reply, done) => {
    if (!deps.isAcceptingTraffic() && request.url !== "/healthz" && request.url !== "/readyz") {
      done(
        new AmphiError("AMPHI_NOT_READY", {
          message: "The server is shutting down.",
          retryAfter: 2,
        }),
      );
      return;
    }
    done();
  });
  app.addHook("onResponse", (request, reply, done) => {
    const level = reply.statusCode >= 500 ? "error" : "debug";
    // Below the log level (the usual case) nothing is built: `routeOptions` makes a new
    // object on every read. (The request logger is a pino child, so it has isLevelEnabled.)
    if ((request.log as Logger).isLevelEnabled(level)) {
      request.log[level](
        {
          method: request.method,
          // The route pattern, never the raw URL: query strings can carry tokens.
          route: request.routeOptions.url ?? "unmatched",
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        "request",
      );
    }
    done();
  });

  await installSecurityHeaders(app, deps.securityHeaders);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 4096 },
    // A client breaking the protocol (e.g. an oversized frame) is its own problem, not ours.
    errorHandler: (error, socket, request) => {
      request.log.debug({ err: error }, "live: client error");
      socket.terminate();
    },
  });
  await registerOpenApi(app, deps.version);
  // Declared up front, so every request object has them from its constructor (one shape)
  // rather than gaining three properties in the auth hook.
  app.decorateRequest("account", null);
  app.decorateRequest("authMethod", null);
  app.decorateRequest("sessionToken", null);
  app.addHook("preHandler", authHook(deps.accounts, deps.publicUrl));

  await app.register(healthRoutes, deps);
  const { control, media, mediaProxy } = deps;
  if (control) {
    await app.register(accountRoutes, {
      accounts: deps.accounts,
      secureCookies: deps.secureCookies,
      rolesOf: (accountId: string) => control.moderation.rolesOf(accountId),
    });
    await app.register(async (scope) => blockRoutes(scope, control.blocks));
    await app.register(async (scope) => spaceRoutes(scope, deps.spaces));
    await app.register(async (scope) => stageRoutes(scope, deps.spaces, control.admission));
    await app.register(async (scope) => ticketRoutes(scope, control.admission));
    await app.register(async (scope) => protectionRoutes(scope, control));
    await app.register(liveRoutes, {
      hub: control.hub,
      spaces: deps.spaces,
      accounts: deps.accounts,
    });
    await app.register(async (scope) => recordingRoutes(scope, control.recordings));
    await app.register(notificationRoutes, {
      notifications: control.notifications,
      accounts: deps.accounts,
      spaces: deps.spaces,
    });
    await app.register(async (scope) => pushRoutes(scope, control.notifications));
    await app.register(async (scope) => webhookRoutes(scope, control.webhooks));
    await app.register(async (scope) => reminderRoutes(scope, control.reminders));
    await app.register(async (scope) => reportRoutes(scope, control.moderation));
    await app.register(async (scope) => moderationRoutes(scope, control.moderation));
    // Not under /api: explicit routes, so the web app's fallback never takes these files.
    await app.register(async (scope) =>
      calendarRoutes(scope, control.calendar, { publicUrl: deps.publicUrl }),
    );
    await app.register(async (scope) => discoveryRoutes(scope, control.discovery));
    await app.register(async (scope) => sharingRoutes(scope, control.sharing));
    // The embedded players, which any site may frame (before the web app's fallback).
    await app.register(async (scope) =>
      embedRoutes(scope, {
        webDir: deps.webDir,
        spaces: deps.spaces,
        recordings: control.recordings,
        reach: control.moderation.reach,
      }),
    );
  }
  if (media) {
    await app.register(async (scope) =>
      hlsRoutes(scope, media.origin, media.hlsUrls, { metrics: deps.metrics }),
    );
    const { webrtc } = media;
    if (webrtc)
      await app.register(async (scope) => whipRoutes(scope, { ...webrtc, spaces: deps.spaces }));
  } else if (mediaProxy) {
    await app.register(async (scope) => mediaProxyRoutes(scope, mediaProxy));
  }
  if (control) await webRoutes(app, deps.webDir);
  return app;
}

const spaceDocumentPath = /^\/api\/spaces\/[A-Za-z0-9_-]{1,40}(\?.*)?$/;

/** The public Space document: the first thing every arriving listener loads. */
function isSpaceDocument(method: string, url: string): boolean {
  return (method === "GET" || method === "HEAD") && spaceDocumentPath.test(url);
}

function parseTrustProxy(value: string): boolean | string | string[] {
  if (value === "true") return true;
  if (value === "false") return false;
  const list = value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  return list.length === 1 ? (list[0] as string) : list;
}
