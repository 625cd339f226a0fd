import type { FastifyInstance, FastifyReply } from "fastify";
import type { HlsUrlSigner } from "../../admission/hls-url-signer.ts";
import { AmphiError } from "../../errors/error-registry.ts";
import {
  blockingReloadTimeout,
  type DeliveryDirectives,
  decideBlockingReload,
  MEDIA_PLAYLIST_URI,
  type MediaResource,
  type PlaylistSnapshot,
  parseDeliveryDirectives,
  parseMediaUri,
  renderMultivariantPlaylist,
} from "../../media/llhls/index.ts";
import type { HlsOrigin } from "../../media/origin/hls-origin.ts";
import type { HlsStream } from "../../media/origin/hls-stream.ts";
import { spaceParamsSchema } from "../api-schemas.ts";
import type { Metrics } from "../metrics.ts";

/** Cache policy by resource: what any HTTP cache or CDN edge may keep, and for how long. */
export const hlsCacheControl = {
  /** Parts, segments and the init segment never change once published. */
  media: "public, max-age=31536000, immutable",
  /** A plain playlist request: the newest version, so only briefly cacheable. */
  playlist: "public, max-age=1",
  /** A blocking reload (_HLS_msn/_HLS_part): its URL names what it waited for. */
  blockingPlaylist: "public, max-age=60",
  multivariant: "public, max-age=60",
} as const;

const playlistType = "application/vnd.apple.mpegurl";
/** Bits per second announced in the multivariant playlist: 32 kbps Opus plus CMAF overhead. */
const announcedBandwidth = 48_000;

/** What an LL-HLS request asks for, as counted by `amphi_hls_requests_total{kind}`. */
export type HlsRequestKind =
  | "multivariant"
  | "playlist"
  | "blocking_playlist"
  | "part"
  | "segment"
  | "init";

const requestKinds: readonly HlsRequestKind[] = [
  "multivariant",
  "playlist",
  "blocking_playlist",
  "part",
  "segment",
  "init",
];

export interface HlsRoutesOptions {
  /** Counts requests by kind: how much load reaches the origin through the edges. */
  readonly metrics?: Pick<Metrics, "hlsRequests">;
}

/**
 * The URI a blocking reload waits for (§6.2.5.2), once the playlist state has it: part
 * `_HLS_part` of segment `_HLS_msn` (part 0 of the next segment when that segment has fewer
 * parts), or the whole segment `_HLS_msn`; undefined when the playlist has ended.
 */
function awaitedUri(
  snapshot: PlaylistSnapshot,
  directives: DeliveryDirectives,
): string | undefined {
  const { msn, part } = directives;
  if (msn === undefined || snapshot.ended) return undefined;
  const segment = snapshot.segments.find((s) => s.msn === msn);
  if (part === undefined) return segment?.uri;
  if (segment && part >= segment.parts.length) {
    const next = snapshot.segments.find((s) => s.msn === msn + 1) ?? snapshot.open;
    return next.msn === msn + 1 ? next.parts[0]?.uri : undefined;
  }
  const holder = segment ?? (snapshot.open.msn === msn ? snapshot.open : undefined);
  return holder?.parts[part]?.uri;
}

/** A part or segment that is about to be downloadable: hinted, or packaged but unpublished. */
function isComing(snapshot: PlaylistSnapshot, resource: MediaResource): boolean {
  if (resource.kind === "init") return false;
  if (resource.kind === "segment") return snapshot.segments.some((s) => s.msn === resource.msn);
  const hint = snapshot.nextPart;
  if (hint && resource.msn === hint.msn && resource.index <= hint.index + 1) return true;
  const holder =
    snapshot.open.msn === resource.msn
      ? snapshot.open
      : snapshot.segments.find((s) => s.msn === resource.msn);
  return holder !== undefined && resource.index < holder.parts.length;
}

/** How long a request waits for the stream of a room that is starting here (a takeover). */
const openingWaitMs = 4_000;

/** The signed prefix's parts, as the routes' parameters name them. */
interface SignedParams {
  id: string;
  expires: string;
  sig: string;
}

/**
 * Refuses a URL whose prefix is not signed for this Space, or whose window is over, as the
 * edges do (`secure_link`): 403 AMPHI_MEDIA_URL_INVALID, 410 AMPHI_MEDIA_URL_EXPIRED.
 */
function checkSigned(signer: HlsUrlSigner, params: unknown): void {
  const { id, expires, sig } = params as SignedParams;
  const verdict = signer.check(id, expires, sig, Date.now());
  if (verdict === "invalid") throw new AmphiError("AMPHI_MEDIA_URL_INVALID");
  if (verdict === "expired") throw new AmphiError("AMPHI_MEDIA_URL_EXPIRED");
}

async function streamOf(origin: HlsOrigin, params: unknown): Promise<HlsStream> {
  const parsed = spaceParamsSchema.safeParse(params);
  const stream = parsed.success
    ? (origin.get(parsed.data.id) ?? (await origin.whenOpen(parsed.data.id, openingWaitMs)))
    : undefined;
  if (!stream) throw new AmphiError("AMPHI_STREAM_NOT_FOUND");
  return stream;
}

/** Whether the stream lists any media yet (or has ended). */
function hasMedia(stream: HlsStream): boolean {
  const { segments, open, ended } = stream.snapshot();
  return ended || segments.length > 0 || open.parts.length > 0;
}

function sendPlaylist(reply: FastifyReply, stream: HlsStream, cacheControl: string) {
  return reply.header("cache-control", cacheControl).type(playlistType).send(stream.playlist());
}

/**
 * The LL-HLS origin, under a signed prefix `/hls/:id/:expires/:sig/` (src/admission/
 * hls-url-signer.ts): `index.m3u8` (multivariant), `live.m3u8` (media playlist, with blocking
 * reload), and the init segment, parts and segments, from memory. The playlists name media by
 * relative URIs, so a player stays under the prefix it was given. Unsigned paths are refused.
 */
export async function hlsRoutes(
  app: FastifyInstance,
  origin: HlsOrigin,
  signer: HlsUrlSigner,
  options: HlsRoutesOptions = {},
): Promise<void> {
  const counter = options.metrics?.hlsRequests;
  // Every kind present from the start (at 0), so a scrape can take differences right away.
  for (const kind of requestKinds) counter?.labels(kind).inc(0);
  const count = (kind: HlsRequestKind) => counter?.labels(kind).inc();

  const signed = "/hls/:id/:expires/:sig";
  // The old unsigned paths: refused, whatever follows (edges refuse them too).
  app.get("/hls/:id/:file", { schema: { hide: true } }, async () => {
    throw new AmphiError("AMPHI_MEDIA_URL_INVALID");
  });

  app.get(`${signed}/index.m3u8`, { schema: { hide: true } }, async (request, reply) => {
    count("multivariant");
    checkSigned(signer, request.params);
    await streamOf(origin, request.params);
    const text = renderMultivariantPlaylist([
      { uri: MEDIA_PLAYLIST_URI, bandwidth: announcedBandwidth },
    ]);
    return reply
      .header("cache-control", hlsCacheControl.multivariant)
      .type(playlistType)
      .send(text);
  });

  app.get(`${signed}/${MEDIA_PLAYLIST_URI}`, { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    count(query._HLS_msn === undefined ? "playlist" : "blocking_playlist");
    checkSigned(signer, request.params);
    const stream = await streamOf(origin, request.params);
    const parsed = parseDeliveryDirectives(query);
    if (!parsed.ok) throw new AmphiError("AMPHI_VALIDATION_FAILED", { message: parsed.reason });
    const { directives } = parsed;
    // A stream that has not published its first part (a Space just taken over by another
    // media node, or just live) answers once it has: a playlist without media makes players
    // give up (hls.js: levelEmptyError) where a short wait costs nothing.
    if (!hasMedia(stream)) {
      await stream.waitFor(() => hasMedia(stream), blockingReloadTimeout(stream.snapshot()) * 1000);
    }
    if (directives.msn === undefined) return sendPlaylist(reply, stream, hlsCacheControl.playlist);
    const first = decideBlockingReload(stream.snapshot(), directives);
    if (first.action === "reject")
      throw new AmphiError("AMPHI_VALIDATION_FAILED", { message: first.reason });
    // The packager knows a part before it is published (a recorded part is fsynced first):
    // answer only once the awaited part can be downloaded, so that the playlist sent (and
    // kept by edges for a minute under this URL) really lists it.
    const answerable = () => {
      const snapshot = stream.snapshot();
      if (decideBlockingReload(snapshot, directives).action === "wait") return false;
      const uri = awaitedUri(snapshot, directives);
      return uri === undefined || stream.get(uri) !== undefined;
    };
    if (!answerable()) {
      const timeoutMs = blockingReloadTimeout(stream.snapshot()) * 1000;
      const ready = await stream.waitFor(answerable, timeoutMs);
      if (!ready) {
        throw new AmphiError("AMPHI_NOT_READY", {
          message: "The requested part did not arrive in time.",
          retryAfter: 1,
        });
      }
    }
    return sendPlaylist(reply, stream, hlsCacheControl.blockingPlaylist);
  });

  app.get(`${signed}/:file`, { schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const resource = parseMediaUri(file);
    if (resource) count(resource.kind);
    checkSigned(signer, request.params);
    const stream = await streamOf(origin, request.params);
    if (!resource) throw new AmphiError("AMPHI_NOT_FOUND");
    let bytes = stream.get(file);
    if (!bytes && isComing(stream.snapshot(), resource)) {
      // Hold the request until it exists: the preload-hinted part (or the one just after it),
      // or media a playlist already names while it is still being made durable.
      const timeoutMs = blockingReloadTimeout(stream.snapshot()) * 1000;
      await stream.waitFor(() => stream.get(file) !== undefined, timeoutMs);
      bytes = stream.get(file);
    }
    if (!bytes) throw new AmphiError("AMPHI_NOT_FOUND");
    return reply
      .header("cache-control", hlsCacheControl.media)
      .type(resource.kind === "init" ? "audio/mp4" : "audio/mp4")
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
