/**
 * The nginx.conf of a caching edge in front of one or more Amphi origins (nginx >= 1.22).
 * Pure: options in, configuration text out; `amphi edge nginx-conf` prints it, the tests and
 * the fan-out benchmark run it.
 *
 * What the edge does, and why:
 * - LL-HLS URLs are signed per Space and time window (`/hls/<space>/<expires>/<sig>/<file>`,
 *   src/admission/hls-url-signer.ts): the edge checks them itself with `secure_link_md5` and
 *   the shared HLS_URL_SECRET, so an unsigned, tampered or expired URL is refused (403, 410)
 *   without an origin request. Cache keys leave the signed prefix out (it was just checked):
 *   the listeners of every window share one cache entry per part.
 * - LL-HLS parts, segments and the init segment never change once published: cached under
 *   their Space and name alone (a query string cannot bust them) for as long as the origin
 *   says.
 * - Playlists are keyed by their full request URI, so each blocking reload
 *   (`_HLS_msn`/`_HLS_part`) is its own cache entry. `proxy_cache_lock` makes the thousand
 *   listeners waiting for the same part share a few origin requests; waiters wait longer than
 *   the origin may hold a blocking request (3 target durations), or they would give up and
 *   each go to the origin.
 * - A waiter does not learn that the entry is filled: nginx looks again every 500 ms, or when
 *   the lock's age is up, whichever is sooner. With a lock age as long as the wait, every
 *   listener but one got each held playlist up to 500 ms late, the largest cost of the edge
 *   on glass-to-glass latency (docs/decisions.md). A lock age of 100 ms makes waiters look
 *   every 100 ms; each time it runs out one waiter (not each) goes to the origin too, so the
 *   origin sees about 1 + hold / 0.1 s requests per held URL per edge (~3 with 0.25 s parts),
 *   whatever the audience.
 * - The public Space document follows the origin's Cache-Control (max-age=2,
 *   stale-while-revalidate, stale-if-error): nginx honours both extensions, so the document
 *   keeps being served while the origin is slow, failing or down.
 * - Everything else (API calls, tickets, heartbeats, the live WebSocket, WHIP, the web app)
 *   goes to the origin uncached, with X-Forwarded-For/-Proto for its rate limits and logs.
 */

import { isHlsUrlSecret } from "../admission/hls-url-signer.ts";

export interface EdgeNginxOptions {
  /** The origins, e.g. `["http://10.0.0.5:8080"]`; several are balanced with failover. */
  readonly origins: readonly string[];
  /** Where the edge listens: a port (`8080`), `address:port`, or `[ipv6]:port`. */
  readonly listen: string;
  /** An absolute folder for the pid file, the error log and nginx's temp files. */
  readonly prefix: string;
  /**
   * HLS_URL_SECRET of the origins (32-200 base64url characters): the edge checks signed
   * LL-HLS URLs with it. It ends up in the configuration file: keep that file private.
   */
  readonly hlsUrlSecret: string;
  /** The cache folder; `<prefix>/cache` by default. */
  readonly cacheDir?: string;
  /** Upper bound of the cache on disk, nginx size syntax (`512m`, `2g`); `1g` by default. */
  readonly cacheMaxSize?: string;
  /** Worker processes; `auto` (one per core) by default. */
  readonly workerProcesses?: number | "auto";
  /** Connections per worker (clients + origin connections); 8192 by default. */
  readonly workerConnections?: number;
  /** Open files per worker (`worker_rlimit_nofile`); 20000 by default. */
  readonly workerRlimitNofile?: number;
  /** `user` for the workers when nginx starts as root (`nobody nogroup`); omitted otherwise. */
  readonly user?: string;
  /**
   * Seconds a request waits for another one filling the same cache entry, and how long that
   * one may take: longer than the origin holds a blocking reload (3 x TARGETDURATION = 6 s
   * with the default 2 s segments). 15 by default.
   */
  readonly lockSeconds?: number;
  /**
   * Milliseconds after which one more request for an entry still being filled may go to the
   * origin (`proxy_cache_lock_age`); also how often waiting requests look again (at most
   * every 500 ms). 100 by default: waiters get a held playlist <= 0.1 s after it arrives.
   */
  readonly lockAgeMs?: number;
  /** Idle keep-alive connections kept open to the origins per worker; 64 by default. */
  readonly upstreamKeepalive?: number;
  /** An access log path; none by default (at tens of thousands of requests a second). */
  readonly accessLog?: string;
}

export class EdgeConfigError extends Error {
  override name = "EdgeConfigError";
}

const DEFAULTS = {
  cacheMaxSize: "1g",
  workerProcesses: "auto",
  workerConnections: 8192,
  workerRlimitNofile: 20_000,
  lockSeconds: 15,
  lockAgeMs: 100,
  upstreamKeepalive: 64,
} as const;

/** The cache keys' zone, shared by the workers: 1 MB holds about 8,000 keys. */
const KEYS_ZONE = "amphi_edge:64m";
const UPSTREAM = "amphi_origin";

export function renderEdgeNginxConf(options: EdgeNginxOptions): string {
  const o = checked(options);
  const lock = `${o.lockSeconds}s`;
  const cachedHls = (key: string) => [
    `proxy_pass ${o.scheme}://${UPSTREAM};`,
    "proxy_cache amphi_edge;",
    `proxy_cache_key "${key}";`,
    "proxy_cache_lock on;",
    `proxy_cache_lock_timeout ${lock};`,
    `proxy_cache_lock_age ${o.lockAgeMs}ms;`,
    "proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;",
    // The request filling the cache for everyone else finishes even if its own client left.
    "proxy_ignore_client_abort on;",
    // A cache hit opens its cache file: keeping descriptors open saves open/fstat/close per
    // hit (~20% of the edge's CPU at 4 requests a second per listener). nginx compares the
    // file's inode with the cache entry's, so a replaced playlist is reopened.
    "open_file_cache max=20000 inactive=60s;",
    "open_file_cache_valid 60s;",
  ];
  const forwarded = [
    // The client's Host (port included): the origin checks a WebSocket's Origin against it.
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
  ];
  const lines = [
    `# Amphi caching edge in front of ${o.origins.map((u) => u.href).join(", ")}`,
    "# Rendered by `amphi edge nginx-conf`; see src/edge/nginx-conf.ts for the reasons.",
    ...(o.user ? [`user ${o.user};`] : []),
    `worker_processes ${o.workerProcesses};`,
    `worker_rlimit_nofile ${o.workerRlimitNofile};`,
    `pid ${o.prefix}/nginx.pid;`,
    `error_log ${o.prefix}/error.log warn;`,
    "",
    "events {",
    [`worker_connections ${o.workerConnections};`],
    "}",
    "",
    "http {",
    [
      "default_type application/octet-stream;",
      ...(o.accessLog
        ? [
            // Cache status and timings: what tells an edge that works from one that doesn't.
            "log_format amphi_edge '$remote_addr [$time_local] \"$request\" $status $body_bytes_sent '",
            "    '$request_time $upstream_cache_status $upstream_response_time $msec';",
            `access_log ${o.accessLog} amphi_edge;`,
          ]
        : ["access_log off;"]),
      "server_tokens off;",
      "sendfile on;",
      "tcp_nopush on;",
      "tcp_nodelay on;",
      "keepalive_timeout 65s;",
      // A listener makes ~4 requests a second on one connection: don't close it every 4 min.
      "keepalive_requests 100000;",
      "client_max_body_size 1m;",
      `client_body_temp_path ${o.prefix}/client_body_temp;`,
      `proxy_temp_path ${o.prefix}/proxy_temp;`,
      `fastcgi_temp_path ${o.prefix}/fastcgi_temp;`,
      `uwsgi_temp_path ${o.prefix}/uwsgi_temp;`,
      `scgi_temp_path ${o.prefix}/scgi_temp;`,
      `proxy_cache_path ${o.cacheDir} levels=1:2 keys_zone=${KEYS_ZONE} max_size=${o.cacheMaxSize} inactive=10m use_temp_path=off;`,
      "",
      `upstream ${UPSTREAM} {`,
      [
        ...o.origins.map((u) => `server ${u.hostPort} max_fails=3 fail_timeout=5s;`),
        `keepalive ${o.upstreamKeepalive};`,
        "keepalive_requests 100000;",
        "keepalive_timeout 60s;",
      ],
      "}",
      "",
      "# WebSocket upgrades pass Connection: upgrade; every other request keeps the origin",
      "# connection alive (Connection cleared).",
      "map $http_upgrade $amphi_connection {",
      ["default upgrade;", '"" "";'],
      "}",
      "",
      "server {",
      [
        `listen ${o.listen} backlog=4096 reuseport;`,
        "server_name _;",
        "",
        "proxy_http_version 1.1;",
        ...forwarded,
        'proxy_set_header Connection "";',
        ...(o.scheme === "https" ? ["proxy_ssl_server_name on;"] : []),
        "add_header X-Cache-Status $upstream_cache_status always;",
        "",
        "# LL-HLS parts, segments and init under a signed prefix: immutable once published.",
        `location ~ "${SIGNED_PREFIX}(?<amphi_file>init\\.mp4|seg-[0-9]+\\.m4s|part-[0-9]+-[0-9]+\\.m4s)$" {`,
        // A preload-hinted part is held by the origin until it exists, like a blocking reload.
        [
          ...signedOnly(o.hlsUrlSecret),
          ...cachedHls("media $amphi_space/$amphi_file"),
          "proxy_read_timeout 30s;",
        ],
        "}",
        "",
        "# Playlists: briefly cached (max-age=1); each blocking reload is its own entry.",
        `location ~ "${SIGNED_PREFIX}(?<amphi_file>[^/]+\\.m3u8)$" {`,
        [
          ...signedOnly(o.hlsUrlSecret),
          ...cachedHls("playlist $amphi_space/$amphi_file$is_args$args"),
          "proxy_read_timeout 30s;",
        ],
        "}",
        "",
        "# Anything else under /hls/ (unsigned, unknown names): refused here.",
        "location /hls/ {",
        ["default_type application/json;", `return 403 '${refusal("AMPHI_MEDIA_URL_INVALID")}';`],
        "}",
        "",
        "# The public Space document: freshness and stale windows from the origin's",
        "# Cache-Control (max-age, stale-while-revalidate, stale-if-error).",
        "location ~ ^/api/spaces/[^/]+$ {",
        [
          `proxy_pass ${o.scheme}://${UPSTREAM};`,
          "proxy_cache amphi_edge;",
          // `?v=` is the document's version a player asks for when the media says the stage
          // changed: a new entry per version, so no player is handed the copy before it.
          'proxy_cache_key "document $uri v=$arg_v";',
          "proxy_cache_lock on;",
          "proxy_cache_lock_timeout 5s;",
          "proxy_cache_revalidate on;",
          "proxy_cache_background_update on;",
        ],
        "}",
        "",
        "# Live state WebSocket: upgraded, long-lived, never cached.",
        "location ~ ^/api/spaces/[^/]+/live$ {",
        [
          `proxy_pass ${o.scheme}://${UPSTREAM};`,
          // A location with its own proxy_set_header inherits none from the server block.
          ...forwarded,
          "proxy_set_header Upgrade $http_upgrade;",
          "proxy_set_header Connection $amphi_connection;",
          "proxy_read_timeout 1h;",
          "proxy_send_timeout 1h;",
          "proxy_buffering off;",
        ],
        "}",
        "",
        "# The rest of the API, tickets, heartbeats, WHIP and the web app: uncached.",
        "location / {",
        [`proxy_pass ${o.scheme}://${UPSTREAM};`],
        "}",
      ],
      "}",
    ],
    "}",
  ];
  return `${indent(lines, 0).join("\n")}\n`;
}

/**
 * `/hls/<space>/<expires>/<signature>/`, captured for the check and the cache key (quoted in
 * the location: nginx needs quotes around a regular expression with braces).
 */
const SIGNED_PREFIX =
  "^/hls/(?<amphi_space>[A-Za-z0-9_-]{1,40})/(?<amphi_expires>[0-9]{1,12})/(?<amphi_sig>[A-Za-z0-9_-]{22})/";

/** The error body Amphi itself answers with (docs/errors.md). */
function refusal(code: "AMPHI_MEDIA_URL_INVALID" | "AMPHI_MEDIA_URL_EXPIRED"): string {
  const message =
    code === "AMPHI_MEDIA_URL_INVALID"
      ? "This audio address is not signed; listen through the Space page."
      : "This audio address has expired; the heartbeat gives the current one.";
  return JSON.stringify({ error: { code, message } });
}

/**
 * nginx's secure_link over the signed prefix, as src/admission/hls-url-signer.ts signs it:
 * `$secure_link` is empty for a bad signature and "0" past the expiry. `if` with `return` is
 * the one use of `if` inside a location that nginx documents as safe.
 */
function signedOnly(secret: string): string[] {
  return [
    "secure_link $amphi_sig,$amphi_expires;",
    `secure_link_md5 "$amphi_expires:$amphi_space:${secret}";`,
    "default_type application/json;",
    `if ($secure_link = "") { return 403 '${refusal("AMPHI_MEDIA_URL_INVALID")}'; }`,
    `if ($secure_link = "0") { return 410 '${refusal("AMPHI_MEDIA_URL_EXPIRED")}'; }`,
  ];
}

type Nested = ReadonlyArray<string | Nested>;

function indent(lines: Nested, depth: number): string[] {
  return lines.flatMap((line) =>
    typeof line === "string"
      ? [line === "" ? "" : `${"    ".repeat(depth)}${line}`]
      : indent(line, depth + 1),
  );
}

interface Checked {
  origins: Origin[];
  hlsUrlSecret: string;
  scheme: "http" | "https";
  listen: string;
  prefix: string;
  cacheDir: string;
  cacheMaxSize: string;
  workerProcesses: number | "auto";
  workerConnections: number;
  workerRlimitNofile: number;
  user: string | undefined;
  lockSeconds: number;
  lockAgeMs: number;
  upstreamKeepalive: number;
  accessLog: string | undefined;
}

/** Refuses anything that is not what it claims to be: values land in a config file verbatim. */
function checked(options: EdgeNginxOptions): Checked {
  if (options.origins.length === 0) throw new EdgeConfigError("at least one origin is needed");
  const origins = options.origins.map(origin);
  const schemes = new Set(origins.map((o) => o.scheme));
  if (schemes.size > 1) throw new EdgeConfigError("all origins must use the same scheme");
  const prefix = path("prefix", options.prefix);
  const workerConnections = positiveInteger(
    "worker connections",
    options.workerConnections ?? DEFAULTS.workerConnections,
  );
  const workerRlimitNofile = positiveInteger(
    "worker_rlimit_nofile",
    options.workerRlimitNofile ?? DEFAULTS.workerRlimitNofile,
  );
  if (workerConnections > workerRlimitNofile) {
    // Each connection is an open file; nginx would warn and then fail under load.
    throw new EdgeConfigError(
      `worker connections (${workerConnections}) exceed worker_rlimit_nofile (${workerRlimitNofile})`,
    );
  }
  const workerProcesses = options.workerProcesses ?? DEFAULTS.workerProcesses;
  if (workerProcesses !== "auto") positiveInteger("worker processes", workerProcesses);
  const cacheMaxSize = options.cacheMaxSize ?? DEFAULTS.cacheMaxSize;
  if (!/^[1-9][0-9]*[kKmMgG]?$/.test(cacheMaxSize)) {
    throw new EdgeConfigError(`cache size must look like 512m or 2g, got ${cacheMaxSize}`);
  }
  if (
    options.user !== undefined &&
    !/^[a-z_][a-z0-9_-]*( [a-z_][a-z0-9_-]*)?$/.test(options.user)
  ) {
    throw new EdgeConfigError(`user must be "name" or "name group", got ${options.user}`);
  }
  if (!isHlsUrlSecret(options.hlsUrlSecret ?? "")) {
    throw new EdgeConfigError("the HLS URL secret must be 32-200 base64url characters");
  }
  return {
    origins,
    hlsUrlSecret: options.hlsUrlSecret,
    scheme: origins[0]?.scheme ?? "http",
    listen: listenAddress(options.listen),
    prefix,
    cacheDir: path("cache directory", options.cacheDir ?? `${prefix}/cache`),
    cacheMaxSize,
    workerProcesses,
    workerConnections,
    workerRlimitNofile,
    user: options.user,
    lockSeconds: positiveInteger("lock seconds", options.lockSeconds ?? DEFAULTS.lockSeconds),
    lockAgeMs: positiveInteger("lock age", options.lockAgeMs ?? DEFAULTS.lockAgeMs),
    upstreamKeepalive: positiveInteger(
      "upstream keepalive",
      options.upstreamKeepalive ?? DEFAULTS.upstreamKeepalive,
    ),
    accessLog: options.accessLog === undefined ? undefined : path("access log", options.accessLog),
  };
}

interface Origin {
  readonly scheme: "http" | "https";
  /** `host:port` for nginx's `server` line, the port always explicit. */
  readonly hostPort: string;
  readonly href: string;
}

function origin(raw: string): Origin {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EdgeConfigError(`origin is not a URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EdgeConfigError(`origin must be http:// or https://, got ${raw}`);
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new EdgeConfigError(`origin must be scheme://host[:port] only, got ${raw}`);
  }
  const scheme = url.protocol === "https:" ? "https" : "http";
  // URL drops a default port; nginx's `server` line is clearer with it.
  const port = url.port || (scheme === "https" ? "443" : "80");
  return { scheme, hostPort: `${url.hostname}:${port}`, href: url.origin };
}

function listenAddress(raw: string): string {
  const value = raw.trim();
  const port =
    /^(?:(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+):)?([0-9]{1,5})$/;
  const match = port.exec(value);
  const number = Number(match?.[1]);
  if (!match || number < 1 || number > 65_535) {
    throw new EdgeConfigError(`listen must be PORT, ADDRESS:PORT or [IPV6]:PORT, got ${raw}`);
  }
  return value;
}

function path(what: string, value: string): string {
  if (!value.startsWith("/") || /[\s;{}"'$\\#]/.test(value)) {
    throw new EdgeConfigError(`${what} must be an absolute path without spaces or quotes`);
  }
  return value.length > 1 ? value.replace(/\/+$/, "") : value;
}

function positiveInteger(what: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new EdgeConfigError(`${what} must be a positive integer, got ${value}`);
  }
  return value;
}
