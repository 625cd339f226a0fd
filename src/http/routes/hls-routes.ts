import type { FastifyInstance, FastifyReply } from "fastify";
import { AmphiError } from "../../errors/error-registry.ts";
import {
  blockingReloadTimeout,
  decideBlockingReload,
  MEDIA_PLAYLIST_URI,
  parseDeliveryDirectives,
  parseMediaUri,
  renderMultivariantPlaylist,
} from "../../media/llhls/index.ts";
import type { HlsOrigin } from "../../media/origin/hls-origin.ts";
import type { HlsStream } from "../../media/origin/hls-stream.ts";
import { spaceParamsSchema } from "../api-schemas.ts";

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

function streamOf(origin: HlsOrigin, params: unknown): HlsStream {
  const parsed = spaceParamsSchema.safeParse(params);
  const stream = parsed.success ? origin.get(parsed.data.id) : undefined;
  if (!stream) throw new AmphiError("AMPHI_STREAM_NOT_FOUND");
  return stream;
}

function sendPlaylist(reply: FastifyReply, stream: HlsStream, cacheControl: string) {
  return reply.header("cache-control", cacheControl).type(playlistType).send(stream.playlist());
}

/**
 * The LL-HLS origin: `/hls/:id/index.m3u8` (multivariant), `/hls/:id/live.m3u8` (media
 * playlist, with blocking reload), and the init segment, parts and segments, from memory.
 */
export async function hlsRoutes(app: FastifyInstance, origin: HlsOrigin): Promise<void> {
  app.get("/hls/:id/index.m3u8", { schema: { hide: true } }, async (request, reply) => {
    streamOf(origin, request.params);
    const text = renderMultivariantPlaylist([
      { uri: MEDIA_PLAYLIST_URI, bandwidth: announcedBandwidth },
    ]);
    return reply
      .header("cache-control", hlsCacheControl.multivariant)
      .type(playlistType)
      .send(text);
  });

  app.get(`/hls/:id/${MEDIA_PLAYLIST_URI}`, { schema: { hide: true } }, async (request, reply) => {
    const stream = streamOf(origin, request.params);
    const parsed = parseDeliveryDirectives(request.query as Record<string, unknown>);
    if (!parsed.ok) throw new AmphiError("AMPHI_VALIDATION_FAILED", { message: parsed.reason });
    const { directives } = parsed;
    if (directives.msn === undefined) return sendPlaylist(reply, stream, hlsCacheControl.playlist);
    const first = decideBlockingReload(stream.snapshot(), directives);
    if (first.action === "reject")
      throw new AmphiError("AMPHI_VALIDATION_FAILED", { message: first.reason });
    if (first.action === "wait") {
      const timeoutMs = blockingReloadTimeout(stream.snapshot()) * 1000;
      const ready = await stream.waitFor(
        () => decideBlockingReload(stream.snapshot(), directives).action !== "wait",
        timeoutMs,
      );
      if (!ready) {
        throw new AmphiError("AMPHI_NOT_READY", {
          message: "The requested part did not arrive in time.",
          retryAfter: 1,
        });
      }
    }
    return sendPlaylist(reply, stream, hlsCacheControl.blockingPlaylist);
  });

  app.get("/hls/:id/:file", { schema: { hide: true } }, async (request, reply) => {
    const stream = streamOf(origin, request.params);
    const file = (request.params as { file: string }).file;
    const resource = parseMediaUri(file);
    if (!resource) throw new AmphiError("AMPHI_NOT_FOUND");
    let bytes = stream.get(file);
    if (!bytes && resource.kind === "part") {
      // The preload-hinted part (or one just after it): hold the request until it exists.
      const hint = stream.snapshot().nextPart;
      if (hint && resource.msn === hint.msn && resource.index <= hint.index + 1) {
        const timeoutMs = blockingReloadTimeout(stream.snapshot()) * 1000;
        await stream.waitFor(() => stream.get(file) !== undefined, timeoutMs);
        bytes = stream.get(file);
      }
    }
    if (!bytes) throw new AmphiError("AMPHI_NOT_FOUND");
    return reply
      .header("cache-control", hlsCacheControl.media)
      .type(resource.kind === "init" ? "audio/mp4" : "audio/mp4")
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
