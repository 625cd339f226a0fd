import { resolve } from "node:path";
import { z } from "zod";
import { parseCandidateAllow } from "../media/whip/offer-candidates.ts";
import { defaultRetrySeconds, parseRetrySeconds } from "../webhooks/retry-schedule.ts";

/**
 * The one typed configuration of an Amphi process. Every knob is read from the environment
 * (upper-case name) or a `--kebab-case` flag (flags win), validated at start-up, and
 * documented in the README's configuration table.
 */
export const configSchema = z.object({
  /**
   * What this process runs: `all` (the embedded default: API, media and web in one process),
   * `api` (a stateless control-plane node behind a load balancer) or `media` (owns the live
   * Spaces placed on it: WHIP, speaker SFU, mix, LL-HLS origin, recording). `api` and `media`
   * need `REDIS_URL` and `DATABASE_URL` (docs/operations.md, "Running a fleet").
   */
  role: z.enum(["all", "api", "media"]).default("all"),
  /** `redis://...`: share admission, presence, limits, live state and placement through Redis. */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional(),
  /** This node's name in the fleet (logs, placement leases). Default: role-host-port. */
  nodeName: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - (at most 64)")
    .optional(),
  /**
   * The address other nodes reach this one at (a media node: where API nodes send WHIP, WHEP
   * and LL-HLS requests for the Spaces it owns). Default: http://HOST:PORT as listening.
   */
  advertiseUrl: z.url().optional(),
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  host: z.string().min(1).default("0.0.0.0"),
  dataDir: z.string().min(1).default("./data"),
  /** `postgres://...` switches from the embedded PGlite database to a PostgreSQL server. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  /** The address people use to reach this server; used for links and secure cookies. */
  publicUrl: z.url().optional(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest JSON body accepted, in bytes. */
  bodyLimitBytes: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  /** How long a login session lasts, in days. */
  sessionDays: z.coerce.number().int().min(1).max(365).default(30),
  /** Failed logins allowed per account, and attempts per IP, in `loginWindowSeconds`. */
  loginFailuresPerAccount: z.coerce.number().int().min(1).default(10),
  loginAttemptsPerIp: z.coerce.number().int().min(1).default(50),
  loginWindowSeconds: z.coerce.number().int().min(1).default(900),
  /** Sign-ups allowed per client (IP or IPv6 /64) per `signupWindowSeconds`. */
  signupsPerIp: z.coerce.number().int().min(1).default(20),
  signupWindowSeconds: z.coerce.number().int().min(1).default(600),
  /** Stage actions (requests, invitations, mutes...) one person may take per second. */
  stageActionsPerSecond: z.coerce.number().int().min(1).max(100).default(10),
  /** Live Spaces one account may host at once; going live past it answers 409. */
  maxLiveSpacesPerAccount: z.coerce.number().int().min(1).max(1_000).default(3),
  /** Spaces one account may create (scheduled or live) per hour. */
  spaceCreationsPerHour: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * Minutes a live Space may go with nobody on stage connected (no speaker's microphone,
   * the host's included) and no listener before it ends itself, as if its host ended it.
   * 0: never.
   */
  spaceIdleEndMinutes: z.coerce.number().min(0).max(10_080).default(10),
  /** Clips one account may make per hour. */
  clipsPerHour: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Follows and unfollows one account may make per minute. */
  followChangesPerMinute: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Profile edits one account may make per hour. */
  profileEditsPerHour: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Reminders one person may set, change or remove per minute. */
  reminderChangesPerMinute: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Notices one reporter (an account, else a network) may send per hour (DSA Art. 16). */
  reportsPerHour: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * Which proxies to believe about the client address (X-Forwarded-For): "loopback",
   * "true", "false", or a comma-separated list of addresses/CIDRs.
   */
  trustProxy: z.string().min(1).default("loopback"),
  /** Reactions one person may send per second. */
  reactionsPerSecond: z.coerce.number().int().min(1).max(100).default(5),
  /** Reactions one listener ticket may send per second (listeners without a session). */
  reactionsPerTicket: z.coerce.number().int().min(1).max(100).default(5),
  /** Reactions sent with listener tickets from one address (IPv4, IPv6 /64) per second. */
  reactionsPerAddress: z.coerce.number().int().min(1).max(10_000).default(20),
  /** How often queued reactions are pushed to live clients, in ms. */
  reactionFlushMs: z.coerce.number().int().min(20).max(1000).default(100),
  /**
   * Whether this process runs the media plane (mix, LL-HLS origin, recordings) for its live
   * Spaces; "off" makes a control-plane-only node (API, live state).
   */
  mediaPlane: z.enum(["on", "off"]).default("on"),
  /**
   * Addresses this server announces to WebRTC clients (ICE host candidates), comma-separated:
   * its public IP in production; 127.0.0.1 when speakers run on the same machine.
   */
  webrtcHostAddresses: z
    .string()
    .regex(/^[0-9a-fA-F:.,\s]+$/, "comma-separated IP addresses")
    .default("127.0.0.1"),
  /**
   * Addresses, besides the request's own source address, that the ICE candidates of a WHIP or
   * WHEP offer may name, comma-separated CIDRs (`127.0.0.0/8`) or `loopback` / `private`
   * (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fe80::/10). Other candidates are
   * dropped, so an offer cannot make the server send STUN to arbitrary addresses.
   */
  webrtcCandidateAllow: z
    .string()
    .refine((text) => {
      try {
        parseCandidateAllow(text);
        return true;
      } catch {
        return false;
      }
    }, "comma-separated addresses or CIDRs, loopback or private")
    .default(""),
  /** Most ICE candidates kept from one offer (the rest are dropped). */
  webrtcMaxOfferCandidates: z.coerce.number().int().min(1).max(100).default(8),
  /** Bitrate of the program feed listeners hear (Opus, mono 48 kHz), bits per second. */
  mediaBitrate: z.coerce.number().int().min(6_000).max(256_000).default(32_000),
  /**
   * LL-HLS part and segment durations, seconds. 0.25 s parts (PART-HOLD-BACK 0.75 s) keep a
   * listener behind an edge within 1.5 s of the speaker (docs/decisions.md, "Glass-to-glass
   * latency through an edge"), at ~8 requests a second per listener.
   */
  hlsPartSeconds: z.coerce.number().min(0.1).max(2).default(0.25),
  hlsSegmentSeconds: z.coerce.number().min(0.5).max(10).default(2),
  /**
   * PART-HOLD-BACK in parts: how far behind the live edge players start and stay (RFC
   * 8216bis §4.4.3.8: at least 2 part targets, 3 or more recommended).
   */
  hlsPartHoldBackParts: z.coerce.number().min(2).max(10).default(3),
  /** Days a recording is kept after its Space ends (X keeps 30). */
  recordingRetentionDays: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * Seconds of live parts held in memory while recording writes fail (a full disk, the
   * database away): the recording catches up with nothing lost after a shorter outage;
   * past it the oldest parts are left out and the replay shows a discontinuity there.
   */
  recordingBufferSeconds: z.coerce.number().min(1).max(3600).default(300),
  /** Seconds a SIGTERM waits for requests in flight before closing anyway. */
  shutdownGraceSeconds: z.coerce.number().int().min(0).max(300).default(10),
  /** Where the built web app lives; it is served at `/` when present. */
  webDir: z.string().default("./web/dist"),
  /**
   * New listeners let into one Space per second (the admission gate's token bucket); more
   * arrivals wait in line with a position. Size it from `amphi loadtest` (docs/operations.md).
   */
  admitRatePerSecond: z.coerce.number().min(0.01).max(1_000_000).default(2_000),
  /** Ceiling of active listeners in one Space; arrivals past it wait for someone to leave. */
  maxListenersPerSpace: z.coerce.number().int().min(1).default(1_000_000),
  /** Minutes before a scheduled start that the waiting room (pre-queue) opens. */
  preQueueMinutes: z.coerce.number().int().min(0).max(1440).default(30),
  /** How often players send a presence heartbeat with their ticket, seconds. */
  heartbeatSeconds: z.coerce.number().int().min(5).max(300).default(30),
  /** How long a listener ticket is valid; every heartbeat renews it. Seconds. */
  ticketTtlSeconds: z.coerce.number().int().min(30).max(86_400).default(900),
  /**
   * Keys that sign listener tickets and queue tokens: `kid:secret,kid2:secret2` (secrets of
   * at least 32 characters). The first signs, all verify, so keys rotate without logging
   * anyone out. Unset: a key is made once and kept in DATA_DIR (one server only).
   */
  ticketKeys: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+:[^,:]{32,}(,[A-Za-z0-9_-]+:[^,:]{32,})*$/,
      "kid:secret,... (secrets ≥ 32 chars)",
    )
    .optional(),
  /**
   * The secret that signs LL-HLS URLs (32-200 base64url characters). Every node and every
   * nginx edge of a deployment must share it (`amphi edge nginx-conf --hls-url-secret-file`).
   * Unset: one is made once and kept in DATA_DIR (`hls-url-secret`; one server only).
   */
  hlsUrlSecret: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,200}$/, "32-200 base64url characters")
    .optional(),
  /**
   * Seconds of one signed-URL window: every listener admitted in a window gets the same URLs,
   * good for one to two windows; heartbeats hand out the next window's.
   */
  hlsUrlWindowSeconds: z.coerce.number().int().min(10).max(86_400).default(300),
  /**
   * Bearer token Prometheus sends to scrape `/metrics` (`Authorization: Bearer ...`). Unset:
   * `/metrics` answers only clients on this machine (loopback, not relayed by a proxy) and
   * 404 to everyone else.
   */
  metricsToken: z.string().min(16, "at least 16 characters").optional(),
  /**
   * Strict-Transport-Security max-age, seconds. Unset: 15552000 (180 days) when PUBLIC_URL is
   * https://, none otherwise (never over plain http). 0: never sent.
   */
  hstsMaxAgeSeconds: z.coerce.number().int().min(0).max(63_072_000).optional(),
  /** Bearer token for operator endpoints (/api/admin/*); unset disables them. */
  opsToken: z.string().min(16, "at least 16 characters").optional(),
  /**
   * Ticket requests per client address (IPv4, or IPv6 /64) and per network (/24, /48) in
   * `ticketLimitWindowSeconds`; a quarter of each while attack mode is on. Generous enough for
   * ~100 people behind one carrier-grade NAT address polling their place in line.
   */
  ticketsPerAddress: z.coerce.number().int().min(1).default(200),
  ticketsPerPrefix: z.coerce.number().int().min(1).default(1_000),
  ticketLimitWindowSeconds: z.coerce.number().int().min(1).max(3600).default(10),
  /** Addresses or CIDR ranges never rate-limited, comma-separated (a trusted load tester). */
  networkLimitExempt: z.string().optional(),
  /**
   * Attack mode (proof of work before a ticket): `auto` switches it on when arrivals exceed
   * `attackArrivalsMultiple` times the admit rate or refusals climb; `on`/`off` force it.
   */
  attackMode: z.enum(["auto", "on", "off"]).default("auto"),
  attackArrivalsMultiple: z.coerce.number().min(1).default(5),
  /** HMAC key for ALTCHA challenges; every API node must share it. Random per process if unset. */
  altchaHmacKey: z.string().min(16, "at least 16 characters").optional(),
  /** ALTCHA difficulty: the largest counter a solver may need (~1-3 s in a browser at 8000). */
  altchaMaxNumber: z.coerce.number().int().min(100).max(10_000_000).default(8_000),
  /**
   * Event-loop lag (ms) over which requests are shed with 503 + Retry-After: everything but
   * joining, heartbeats, the Space document and HLS first; those only over the second value.
   */
  loadShedLagMs: z.coerce.number().int().min(10).default(250),
  loadShedCriticalLagMs: z.coerce.number().int().min(10).default(2_000),
  /**
   * Longest window, seconds, over which the pushes and toasts of one go-live (or reminder)
   * are spread with jitter, so its audience does not reach the join path in one second; a
   * small audience is told at once (the window is sized to the admit rate).
   */
  notifySpreadSeconds: z.coerce.number().min(0).max(3_600).default(30),
  /** People per notification batch job (one INSERT ... SELECT each). */
  notifyBatchSize: z.coerce.number().int().min(10).max(100_000).default(5_000),
  /**
   * Batch jobs one node writes at once on PostgreSQL (embedded PGlite writes one at a time).
   * Each is a statement that keeps a database core busy: more than the database's spare cores
   * slows everything else on it, and a database sharing its machine with Amphi starves Amphi.
   */
  notifyBatchWriters: z.coerce.number().int().min(1).max(32).default(1),
  /** VAPID contact (mailto: or https:) sent to push services. Default: PUBLIC_URL, else a mailto. */
  vapidSubject: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, "a mailto: or https:// URL")
    .optional(),
  /** Accept http://127.0.0.1 push endpoints (tests with a local push service only). */
  pushAllowLoopbackHttp: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .default(false),
  /** Webhook endpoints one account may have. */
  webhooksPerAccount: z.coerce.number().int().min(1).max(1_000).default(10),
  /** Webhook management actions (create, delete, send test) one account may take per minute. */
  webhookActionsPerMinute: z.coerce.number().int().min(1).max(10_000).default(30),
  /**
   * Seconds between failed webhook attempts, comma-separated: the n-th wait after the n-th
   * failure (each spread by ±20 %); its length + 1 attempts in all.
   */
  webhookRetrySeconds: z
    .string()
    .refine((text) => {
      try {
        parseRetrySeconds(text);
        return true;
      } catch {
        return false;
      }
    }, "comma-separated seconds, e.g. 5,30,120")
    .default(defaultRetrySeconds),
  /** How long one webhook attempt may take, connection to answer. */
  webhookTimeoutSeconds: z.coerce.number().min(0.1).max(60).default(10),
  /** Failed attempts in a row after which an endpoint shows as failing. */
  webhookFailingAfter: z.coerce.number().int().min(1).max(1_000).default(5),
  /**
   * Allow webhooks to loopback addresses (127.0.0.0/8, ::1, localhost), over plain http too:
   * for tests and a receiver on the same machine. Never on a server others use: a host could
   * make it call services listening on its own machine.
   */
  webhooksAllowHttpLoopback: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .default(false),
});

export type Config = z.infer<typeof configSchema>;

const envNames: Record<keyof Config, string> = {
  role: "ROLE",
  redisUrl: "REDIS_URL",
  nodeName: "NODE_NAME",
  advertiseUrl: "ADVERTISE_URL",
  port: "PORT",
  host: "HOST",
  dataDir: "DATA_DIR",
  databaseUrl: "DATABASE_URL",
  publicUrl: "PUBLIC_URL",
  logLevel: "LOG_LEVEL",
  bodyLimitBytes: "BODY_LIMIT_BYTES",
  sessionDays: "SESSION_DAYS",
  loginFailuresPerAccount: "LOGIN_FAILURES_PER_ACCOUNT",
  loginAttemptsPerIp: "LOGIN_ATTEMPTS_PER_IP",
  loginWindowSeconds: "LOGIN_WINDOW_SECONDS",
  signupsPerIp: "SIGNUPS_PER_IP",
  signupWindowSeconds: "SIGNUP_WINDOW_SECONDS",
  stageActionsPerSecond: "STAGE_ACTIONS_PER_SECOND",
  maxLiveSpacesPerAccount: "MAX_LIVE_SPACES_PER_ACCOUNT",
  spaceCreationsPerHour: "SPACE_CREATIONS_PER_HOUR",
  spaceIdleEndMinutes: "SPACE_IDLE_END_MINUTES",
  clipsPerHour: "CLIPS_PER_HOUR",
  followChangesPerMinute: "FOLLOW_CHANGES_PER_MINUTE",
  profileEditsPerHour: "PROFILE_EDITS_PER_HOUR",
  reminderChangesPerMinute: "REMINDER_CHANGES_PER_MINUTE",
  reportsPerHour: "REPORTS_PER_HOUR",
  trustProxy: "TRUST_PROXY",
  reactionsPerSecond: "REACTIONS_PER_SECOND",
  reactionsPerTicket: "REACTIONS_PER_TICKET",
  reactionsPerAddress: "REACTIONS_PER_ADDRESS",
  reactionFlushMs: "REACTION_FLUSH_MS",
  mediaPlane: "MEDIA_PLANE",
  webrtcHostAddresses: "WEBRTC_HOST_ADDRESSES",
  webrtcCandidateAllow: "WEBRTC_CANDIDATE_ALLOW",
  webrtcMaxOfferCandidates: "WEBRTC_MAX_OFFER_CANDIDATES",
  mediaBitrate: "MEDIA_BITRATE",
  hlsPartSeconds: "HLS_PART_SECONDS",
  hlsSegmentSeconds: "HLS_SEGMENT_SECONDS",
  hlsPartHoldBackParts: "HLS_PART_HOLD_BACK_PARTS",
  recordingRetentionDays: "RECORDING_RETENTION_DAYS",
  recordingBufferSeconds: "RECORDING_BUFFER_SECONDS",
  shutdownGraceSeconds: "SHUTDOWN_GRACE_SECONDS",
  webDir: "WEB_DIR",
  admitRatePerSecond: "ADMIT_RATE_PER_SECOND",
  maxListenersPerSpace: "MAX_LISTENERS_PER_SPACE",
  preQueueMinutes: "PRE_QUEUE_MINUTES",
  heartbeatSeconds: "HEARTBEAT_SECONDS",
  ticketTtlSeconds: "TICKET_TTL_SECONDS",
  ticketKeys: "TICKET_KEYS",
  hstsMaxAgeSeconds: "HSTS_MAX_AGE_SECONDS",
  hlsUrlSecret: "HLS_URL_SECRET",
  hlsUrlWindowSeconds: "HLS_URL_WINDOW_SECONDS",
  opsToken: "OPS_TOKEN",
  metricsToken: "METRICS_TOKEN",
  ticketsPerAddress: "TICKETS_PER_ADDRESS",
  ticketsPerPrefix: "TICKETS_PER_PREFIX",
  ticketLimitWindowSeconds: "TICKET_LIMIT_WINDOW_SECONDS",
  networkLimitExempt: "NETWORK_LIMIT_EXEMPT",
  attackMode: "ATTACK_MODE",
  attackArrivalsMultiple: "ATTACK_ARRIVALS_MULTIPLE",
  altchaHmacKey: "ALTCHA_HMAC_KEY",
  altchaMaxNumber: "ALTCHA_MAX_NUMBER",
  loadShedLagMs: "LOAD_SHED_LAG_MS",
  loadShedCriticalLagMs: "LOAD_SHED_CRITICAL_LAG_MS",
  notifySpreadSeconds: "NOTIFY_SPREAD_SECONDS",
  notifyBatchSize: "NOTIFY_BATCH_SIZE",
  notifyBatchWriters: "NOTIFY_BATCH_WRITERS",
  vapidSubject: "VAPID_SUBJECT",
  pushAllowLoopbackHttp: "PUSH_ALLOW_LOOPBACK_HTTP",
  webhooksPerAccount: "WEBHOOKS_PER_ACCOUNT",
  webhookActionsPerMinute: "WEBHOOK_ACTIONS_PER_MINUTE",
  webhookRetrySeconds: "WEBHOOK_RETRY_SECONDS",
  webhookTimeoutSeconds: "WEBHOOK_TIMEOUT_SECONDS",
  webhookFailingAfter: "WEBHOOK_FAILING_AFTER",
  webhooksAllowHttpLoopback: "WEBHOOKS_ALLOW_HTTP_LOOPBACK",
};

export const configEnvNames = envNames;

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Reads `--name value` and `--name=value` flags for the known keys. */
function flagsFrom(argv: readonly string[]): Partial<Record<keyof Config, string>> {
  const byFlag = new Map(Object.keys(envNames).map((k) => [`--${kebab(k)}`, k as keyof Config]));
  const out: Partial<Record<keyof Config, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const key = byFlag.get(name);
    if (!key) continue;
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value !== undefined && value.trim() !== "") out[key] = value;
  }
  return out;
}

export class ConfigError extends Error {}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = [],
  overrides: Partial<Config> = {},
): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") raw[key] = value;
  }
  Object.assign(raw, flagsFrom(argv), overrides);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]) as keyof Config;
      return `  ${envNames[key] ?? key} (--${kebab(key)}): ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const config = parsed.data;
  if (config.role !== "all" && (!config.redisUrl || !config.databaseUrl)) {
    throw new ConfigError(
      `Invalid configuration:\n  ROLE (--role) ${config.role} runs as part of a fleet: set REDIS_URL and DATABASE_URL`,
    );
  }
  return { ...config, dataDir: resolve(config.dataDir), webDir: resolve(config.webDir) };
}
