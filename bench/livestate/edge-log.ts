/**
 * The edge's access log (the `amphi_edge` format of src/edge/nginx-conf.ts), read back:
 * who asked for what, and whether the edge went to the origin for it.
 */

export type RequestKind =
  /** Playlists, parts, segments, init: what any LL-HLS player asks for. */
  | "audio"
  | "ticket"
  | "heartbeat"
  /** The Space document as a page reads it on arrival. */
  | "document"
  /** The document at a version a cue announced (`?v=`). */
  | "documentVersion"
  /** Anything else: live state asked for beside the media. */
  | "other";

export interface EdgeRequest {
  client: string;
  method: string;
  path: string;
  status: number;
  kind: RequestKind;
  /** nginx's $upstream_cache_status ("-" where the location does not cache). */
  cache: string;
  /** The edge asked the origin for this one ($upstream_response_time is set). */
  toOrigin: boolean;
  /** Epoch ms when the answer was logged ($msec). */
  at: number;
}

// 127.1.2.3 [03/Dec/2026:04:01:02 +0000] "GET /hls/x/part-1-2.m4s HTTP/1.1" 200 812 0.000 HIT - 1764734462.123
const LINE = /^(\S+) \[[^\]]*\] "(\S+) (\S+) [^"]*" (\d{3}) \d+ \S+ (\S+) (\S+) (\d+(?:\.\d+)?)$/;

export function kindOf(method: string, path: string): RequestKind {
  const [pathname = "", query = ""] = path.split("?", 2);
  if (pathname.startsWith("/hls/")) return "audio";
  if (method === "POST" && /^\/api\/spaces\/[^/]+\/tickets$/.test(pathname)) return "ticket";
  if (method === "POST" && /^\/api\/spaces\/[^/]+\/heartbeat$/.test(pathname)) return "heartbeat";
  if (method === "GET" && /^\/api\/spaces\/[^/]+$/.test(pathname))
    return /(^|&)v=/.test(query) ? "documentVersion" : "document";
  return "other";
}

export function parseEdgeLog(text: string): { requests: EdgeRequest[]; unreadable: number } {
  const requests: EdgeRequest[] = [];
  let unreadable = 0;
  for (const line of text.split("\n")) {
    if (!line) continue;
    const m = LINE.exec(line);
    if (!m) {
      unreadable++;
      continue;
    }
    const [, client = "", method = "", path = "", status, cache = "-", upstreamTime = "-", msec] =
      m;
    requests.push({
      client,
      method,
      path,
      status: Number(status),
      kind: kindOf(method, path),
      cache,
      // Several upstream tries are listed comma-separated; "-" when none was made.
      toOrigin: upstreamTime !== "-",
      at: Number(msec) * 1000,
    });
  }
  return { requests, unreadable };
}
