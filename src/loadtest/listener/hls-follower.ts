/**
 * One simulated LL-HLS listener, behaving like hls.js in low-latency mode: load the
 * playlist, start PART-HOLD-BACK behind the live edge, then loop on a blocking playlist
 * reload for the next part (`_HLS_msn`/`_HLS_part`) and fetch the part(s) it announces,
 * until the signal aborts or the stream ends. HTTP and network errors never throw: they are
 * counted, followed by a back-off and a fresh playlist.
 *
 * Each listener holds its own connection (an undici `Client`) unless given a dispatcher, so
 * a load test sees one socket per listener, as an edge would in production.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Client, type Dispatcher } from "undici";
import { withNewestPrefix } from "../../admission/hls-url-prefix.ts";
import {
  firstVariantUri,
  isMultivariantPlaylist,
  type MediaPlaylist,
  nextBlockingReload,
  type PartPosition,
  parseMediaPlaylist,
  partsAfter,
  startingParts,
} from "./media-playlist.ts";
import { RealTimeCheck } from "./real-time-check.ts";

export interface HlsPartEvent {
  msn: number;
  part: number;
  /** Bytes of the part's body. */
  bytes: number;
  /** When the body was complete, epoch milliseconds. */
  at: number;
  /** Seconds of media, from the playlist. */
  duration: number;
  /** The part's bytes, when the follower was asked for them (`bodies`). */
  body?: Buffer;
}

export interface HlsFollowOptions {
  /** Absolute URL of a multivariant or media playlist. */
  playlistUrl: string;
  /** Sends every request; by default a Client of its own (one connection). */
  dispatcher?: Dispatcher;
  signal: AbortSignal;
  onPart?: (p: HlsPartEvent) => void;
  /** Hand each part's bytes to `onPart` (to read what the part carries). */
  bodies?: boolean;
  headers?: Record<string, string>;
  /**
   * The newest playlist URL the listener's heartbeats handed out: each request goes under its
   * signed prefix (src/admission/hls-url-prefix.ts), as the web player does, so a listener
   * never plays past its URL's window.
   */
  newestPlaylistUrl?: () => string | null;
}

export interface HlsFollowStats {
  parts: number;
  /** Bytes of parts received (playlists and init not included). */
  bytes: number;
  /** HTTP answers >= 400, network failures and unreadable playlists. */
  errors: number;
  /** From the start to the first part's body, or null if none arrived. */
  firstPartMs: number | null;
  /** Sum of the durations of the parts received. */
  mediaSeconds: number;
  wallSeconds: number;
  /** mediaSeconds >= 0.9 x the wall time since the first part. */
  keepingUp: boolean;
  /** Times a real-time player would have run out of media (see RealTimeCheck). */
  stalls: number;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Where a request goes: the dispatcher's origin and the path with its query. */
interface Target {
  readonly origin: string;
  readonly path: string;
}

/** The media playlist's address, and how URIs inside it resolve (RFC 8216bis §4.1). */
interface Base {
  readonly self: Target;
  /** "?" or "&": how a delivery directive joins the playlist's own query. */
  readonly join: string;
  resolve(uri: string): Target;
}

function targetOf(url: URL): Target {
  return { origin: url.origin, path: url.pathname + url.search };
}

function baseOf(url: URL): Base {
  const dir = url.pathname.slice(0, url.pathname.lastIndexOf("/") + 1);
  return {
    self: targetOf(url),
    join: url.search ? "&" : "?",
    // A bare relative name (what Amphi writes) is a string join; anything else goes via URL.
    resolve: (uri) =>
      /^[\w.-]+$/.test(uri) ? { origin: url.origin, path: dir + uri } : targetOf(new URL(uri, url)),
  };
}

const epochMs = () => performance.timeOrigin + performance.now();

/** 250 ms doubling to 4 s, jittered so that many listeners do not retry in step. */
function backoffMs(failures: number, retryAfterSeconds: number | undefined): number {
  const base =
    retryAfterSeconds !== undefined
      ? Math.min(retryAfterSeconds, 5) * 1000
      : Math.min(250 * 2 ** (failures - 1), 4000);
  return base * (0.75 + Math.random() * 0.5);
}

export async function followHls(options: HlsFollowOptions): Promise<HlsFollowStats> {
  // Thousands of listeners usually share one signal: giving each request that signal would
  // add (and look through) thousands of abort listeners per request. One listener each here.
  const local = new AbortController();
  const forward = () => local.abort(options.signal.reason);
  if (options.signal.aborted) forward();
  else options.signal.addEventListener("abort", forward, { once: true });
  const { signal } = local;
  const started = epochMs();
  const own = options.dispatcher
    ? undefined
    : new Client(new URL(options.playlistUrl).origin, {
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
        keepAliveTimeout: 30_000,
      });
  const dispatcher = (options.dispatcher ?? own) as Dispatcher;
  const headers = options.headers ?? {};

  // The request in flight, aborted when the signal is (one listener per follower, not per
  // request: adding and removing one per request shows at thousands of requests a second).
  let inFlight: Dispatcher.DispatchController | undefined;
  // Named AbortError whatever the signal's reason, so that wrappers see an abort, not a failure.
  const abortInFlight = () =>
    inFlight?.abort(new DOMException("the listener stopped", "AbortError"));
  signal.addEventListener("abort", abortInFlight, { once: true });

  /** One GET through the dispatcher: the body, or an HttpStatusError at 400 and above. */
  function get(target: Target): Promise<Buffer> {
    const path = options.newestPlaylistUrl
      ? withNewestPrefix(target.path, options.newestPlaylistUrl())
      : target.path;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 0;
      let retryAfter: number | undefined;
      // dispatch() rather than request(): no stream per response, at thousands a second.
      dispatcher.dispatch(
        // `signal` is not used by dispatch(); interceptors may read it to tell aborts apart.
        { origin: target.origin, path, method: "GET", headers, ...{ signal } },
        {
          onRequestStart: (controller) => {
            inFlight = controller;
            if (signal.aborted) abortInFlight();
          },
          onResponseStart: (_c, statusCode, responseHeaders) => {
            status = statusCode;
            const value = Number(responseHeaders["retry-after"]);
            retryAfter = Number.isFinite(value) ? value : undefined;
          },
          onResponseData: (_c, chunk) => {
            if (status < 400) chunks.push(chunk);
          },
          onResponseEnd: () => {
            inFlight = undefined;
            if (status >= 400) reject(new HttpStatusError(status, retryAfter));
            else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
          },
          onResponseError: (_c, error) => {
            inFlight = undefined;
            reject(error);
          },
        },
      );
    });
  }

  async function mediaPlaylist(): Promise<Base> {
    const url = new URL(options.playlistUrl);
    const text = (await get(targetOf(url))).toString("utf8");
    if (!isMultivariantPlaylist(text)) return baseOf(url);
    const variant = firstVariantUri(text);
    if (!variant) throw new Error("a multivariant playlist without a variant");
    return baseOf(new URL(variant, url));
  }

  let check: RealTimeCheck | undefined;
  let parts = 0;
  let bytes = 0;
  let errors = 0;
  let firstPartMs: number | null = null;
  let failures = 0;
  let media: Base | undefined;
  let playlist: MediaPlaylist | undefined;
  let last: PartPosition | undefined;
  let initLoaded = false;

  try {
    while (!signal.aborted) {
      try {
        media ??= await mediaPlaylist();
        const blocking = playlist?.canBlockReload === true && last !== undefined;
        let reload: Target = media.self;
        if (playlist && last && blocking) {
          const want = nextBlockingReload(playlist, last);
          const query = `_HLS_msn=${want.msn}&_HLS_part=${want.index}`;
          reload = { origin: media.self.origin, path: `${media.self.path}${media.join}${query}` };
        }
        playlist = parseMediaPlaylist((await get(reload)).toString("utf8"));
        check ??= new RealTimeCheck({
          startupSeconds: playlist.partHoldBack ?? 3 * (playlist.partTarget ?? 1),
        });
        if (!initLoaded && playlist.mapUri) {
          await get(media.resolve(playlist.mapUri));
          initLoaded = true;
        }
        const todo = last ? partsAfter(playlist, last) : startingParts(playlist);
        for (const part of todo) {
          const body = await get(media.resolve(part.uri));
          const at = epochMs();
          parts++;
          bytes += body.byteLength;
          firstPartMs ??= at - started;
          check.received(part.duration, at);
          last = part;
          options.onPart?.({
            msn: part.msn,
            part: part.index,
            bytes: body.byteLength,
            at,
            duration: part.duration,
            ...(options.bodies ? { body } : {}),
          });
        }
        failures = 0;
        if (playlist.ended) break;
        if (!playlist.canBlockReload || last === undefined || (blocking && todo.length === 0)) {
          // Nothing to block on yet (or nothing new came back): poll, don't spin.
          await sleep((playlist.partTarget ?? playlist.targetDuration / 2) * 1000, undefined, {
            signal,
          });
        }
      } catch (error) {
        if (signal.aborted) break;
        errors++;
        failures++;
        playlist = undefined;
        const retryAfter = error instanceof HttpStatusError ? error.retryAfterSeconds : undefined;
        await sleep(backoffMs(failures, retryAfter), undefined, { signal }).catch(() => {});
      }
    }
  } finally {
    signal.removeEventListener("abort", abortInFlight);
    options.signal.removeEventListener("abort", forward);
    await own?.destroy().catch(() => {});
  }
  const ended = epochMs();
  return {
    parts,
    bytes,
    errors,
    firstPartMs,
    mediaSeconds: check?.mediaSeconds ?? 0,
    wallSeconds: (ended - started) / 1000,
    keepingUp: check?.keepingUp(ended) ?? false,
    stalls: check?.stalls ?? 0,
  };
}
