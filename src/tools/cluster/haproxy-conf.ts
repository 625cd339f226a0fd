/**
 * The haproxy.cfg of the balancer in front of a cluster's API nodes (HAProxy >= 2.2; Debian 12
 * ships 2.6). Pure: options in, configuration text out; `amphi cluster` runs it.
 *
 * What it does, and why (HAProxy 2.6's configuration.txt, sections "retry-on", "retries",
 * "option redispatch", "observe"):
 * - Health: `GET /readyz` every second; two failures take a node out, one success brings it
 *   back. Ten connections in a row that fail take it out at once (`observe layer4`,
 *   `error-limit 10`): that is how a crashed node leaves under traffic, its port refusing
 *   every request in a few milliseconds. One failure was the limit before, and in a flash
 *   crowd a single connection that timed out (the node's accept queue full for 500 ms) took
 *   the one node left out, again and again: `npm run bench -- flash` with a slowed load
 *   generator logged api-2 "DOWN ... 1 consecutive errors, L4 unsuccessful connection" three
 *   times while its checks passed in 2-52 ms, and 64% of listeners were answered 503 (no
 *   server). A check waits 2.5 s, longer than the event-loop lag up to which a node still
 *   serves the join path (`LOAD_SHED_CRITICAL_LAG_MS`, 2 s). A frozen node is out within
 *   about 6 s, its requests retried elsewhere on their timeout.
 * - Losing a node costs no request. A request whose connection is refused, or whose node dies
 *   before answering (SIGKILL mid-burst: "empty-response"), or that times out, or that gets 502
 *   or 503 (a draining or overloaded node), is sent again, to another node each time
 *   (`option redispatch 1`; without it only the last of the `retries` goes elsewhere, after
 *   1 s turn-arounds on the dead one). Retries beyond connection failures need the request
 *   kept whole: `option http-buffer-request` waits for the body before choosing a node.
 *   Replaying is safe here: the join path mints signed tickets and stores nothing, and a
 *   retried request never reached a node's answer.
 * - LL-HLS (`/hls/`) goes to the same nodes (they forward it to the media node owning the
 *   Space) with connection-level retries only: the 503 that ends a blocking playlist reload
 *   after three target durations must reach the edge, not be waited out again elsewhere.
 * - `balance roundrobin`: API requests are short and alike, so turns spread a join burst
 *   evenly, and a node that comes back gets its share at once; `leastconn` would send it every
 *   new connection until it holds as many long-lived WebSockets as the others.
 * - Timeouts: 500 ms to connect (the pause before a retry when one node is left is that or
 *   1 s, whichever is shorter), 30 s for a server's answer (blocking reloads are held up to 3 x 2 s, hinted
 *   parts likewise), an hour for upgraded WebSockets, and client keep-alive longer than the
 *   edges' upstream keep-alive (60 s), so an edge never reuses a connection being closed.
 * - `option forwardfor` appends the client address to X-Forwarded-For (nodes trust loopback).
 * - Logs go to stdout (the member's log file), only the abnormal requests: errors, retries,
 *   redispatches (`option dontlog-normal`), plus servers going down and up.
 */

export interface HaproxyServer {
  /** `api-1`: shown in logs and on the stats page. */
  name: string;
  host: string;
  port: number;
}

export interface HaproxyOptions {
  /** Where the balancer listens. */
  listen: { host: string; port: number };
  /** The stats page (HTML, refreshed every 2 s); none when omitted. */
  stats?: { host: string; port: number };
  /** The API nodes. */
  servers: readonly HaproxyServer[];
}

export class HaproxyConfigError extends Error {
  override name = "HaproxyConfigError";
}

const API_BACKEND = "amphi_api";
const HLS_BACKEND = "amphi_hls";

export function renderHaproxyConf(options: HaproxyOptions): string {
  const listen = address("listen", options.listen);
  const stats = options.stats ? address("stats", options.stats) : undefined;
  if (options.servers.length === 0) throw new HaproxyConfigError("at least one server is needed");
  const servers = options.servers.map((server) => ({
    name: name(server.name),
    address: address(`server ${server.name}`, server),
  }));
  if (new Set(servers.map((s) => s.name)).size !== servers.length) {
    throw new HaproxyConfigError("server names must differ");
  }

  const lines = [
    `# Amphi API balancer in front of ${servers.map((s) => s.name).join(", ")}`,
    "# Rendered by `amphi cluster`; see src/tools/cluster/haproxy-conf.ts for the reasons.",
    "global",
    [
      "log stdout format raw local0 info",
      // The FD limit decides maxconn (HAProxy derives it), so no figure to keep in step here.
    ],
    "",
    "defaults",
    [
      "mode http",
      "log global",
      "option httplog",
      "option dontlognull",
      "option dontlog-normal",
      // Also the pause before retrying after a refused connection when a single node is
      // left (min(timeout connect, 1 s)): short, as nodes are on the same network.
      "timeout connect 500ms",
      "timeout client 75s",
      "timeout http-request 10s",
      "timeout http-keep-alive 75s",
      "timeout server 30s",
      "timeout queue 5s",
      "timeout tunnel 1h",
      "timeout client-fin 5s",
      "timeout check 2500ms",
    ],
    "",
    "frontend amphi",
    [
      `bind ${listen}`,
      "option forwardfor",
      "option http-buffer-request",
      `use_backend ${HLS_BACKEND} if { path_beg /hls/ }`,
      `default_backend ${API_BACKEND}`,
    ],
    "",
    `backend ${API_BACKEND}`,
    [
      "balance roundrobin",
      "option httpchk",
      "http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host amphi-balancer",
      "http-check expect status 200",
      "retries 3",
      "option redispatch 1",
      "retry-on conn-failure empty-response response-timeout 502 503",
      "default-server check inter 1s fastinter 500ms downinter 1s fall 2 rise 1 observe layer4 error-limit 10 on-error mark-down",
      ...servers.map((s) => `server ${s.name} ${s.address}`),
    ],
    "",
    `backend ${HLS_BACKEND}`,
    [
      "balance roundrobin",
      "retries 3",
      "option redispatch 1",
      "retry-on conn-failure empty-response",
      // Follows the API backend's health checks instead of running its own.
      ...servers.map((s) => `server ${s.name} ${s.address} track ${API_BACKEND}/${s.name}`),
    ],
    ...(stats
      ? ["", "listen stats", [`bind ${stats}`, "stats enable", "stats uri /", "stats refresh 2s"]]
      : []),
  ];
  return `${indent(lines, 0).join("\n")}\n`;
}

type Nested = ReadonlyArray<string | Nested>;

function indent(lines: Nested, depth: number): string[] {
  return lines.flatMap((line) =>
    typeof line === "string"
      ? [line === "" ? "" : `${"    ".repeat(depth)}${line}`]
      : indent(line, depth + 1),
  );
}

/** Values land in the configuration verbatim: refuse anything but a plain host and port. */
function address(what: string, value: { host: string; port: number }): string {
  if (!/^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[A-Za-z0-9][A-Za-z0-9.-]*)$/.test(value.host)) {
    throw new HaproxyConfigError(
      `${what}: host must be an IPv4 address or a name, got ${value.host}`,
    );
  }
  if (!Number.isSafeInteger(value.port) || value.port < 1 || value.port > 65_535) {
    throw new HaproxyConfigError(`${what}: port must be 1-65535, got ${value.port}`);
  }
  return `${value.host}:${value.port}`;
}

function name(value: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) {
    throw new HaproxyConfigError(`server name must be letters, digits, _ . - only, got ${value}`);
  }
  return value;
}
