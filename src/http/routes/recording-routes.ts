import { Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AmphiError } from "../../errors/error-registry.ts";
import type { RecordingsService } from "../../recordings/recordings-service.ts";
import {
  clipParamsSchema,
  clipSchema,
  createClipBodySchema,
  recordingSchema,
  spaceParamsSchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";
import { hlsCacheControl } from "./hls-routes.ts";

const playlistType = "application/vnd.apple.mpegurl";
/** A finished recording never changes, but it is deleted at the end of its retention. */
const recordingPlaylistCache = "public, max-age=300";

function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9 _.-]/g, "_")}"`;
}

/** Replay (HLS VOD), download and clips of ended Spaces. */
export async function recordingRoutes(
  app: FastifyInstance,
  recordings: RecordingsService,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/spaces/:id/recording",
    {
      schema: {
        tags: ["recordings"],
        summary: "The recording of an ended Space",
        params: spaceParamsSchema,
        response: { 200: z.object({ recording: recordingSchema }), ...errors(400, 404, 410) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "public, max-age=30");
      return { recording: (await recordings.recording(request.params.id)).info };
    },
  );

  api.delete(
    "/api/spaces/:id/recording",
    {
      schema: {
        tags: ["recordings"],
        summary: "Delete the recording of your ended Space (host only), with its clips",
        description:
          "The recording's audio and every clip of it are deleted. Afterwards its replay, " +
          "playlist and files answer 410 AMPHI_RECORDING_DELETED; its clips 404. Deleting " +
          "again answers 204 as well.",
        params: spaceParamsSchema,
        response: { 204: z.null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      await recordings.deleteRecording(request.params.id, me.id);
      return reply.code(204).header("cache-control", "no-store").send(null);
    },
  );

  api.post(
    "/api/spaces/:id/clips",
    {
      schema: {
        tags: ["recordings"],
        summary: "Clip up to 60 s of a recording",
        params: spaceParamsSchema,
        body: createClipBodySchema,
        response: { 201: z.object({ clip: clipSchema }), ...errors(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      const { startSeconds, endSeconds } = request.body;
      const clip = await recordings.createClip(request.params.id, me.id, startSeconds, endSeconds);
      return reply.code(201).header("location", `/api/clips/${clip.id}`).send({ clip });
    },
  );

  api.get(
    "/api/clips/:clipId",
    {
      schema: {
        tags: ["recordings"],
        summary: "A clip",
        params: clipParamsSchema,
        response: { 200: z.object({ clip: clipSchema }), ...errors(400, 404, 410) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "public, max-age=300");
      return { clip: (await recordings.clip(request.params.clipId)).clip };
    },
  );

  api.delete(
    "/api/clips/:clipId",
    {
      schema: {
        tags: ["recordings"],
        summary: "Delete a clip (its creator or the Space's host)",
        params: clipParamsSchema,
        response: { 204: z.null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      await recordings.deleteClip(request.params.clipId, me.id);
      return reply.code(204).header("cache-control", "no-store").send(null);
    },
  );

  /**
   * requireLogin and removals hold for replays too (RecordingsService.admitListener); the
   * cache policy of a requireLogin Space's audio becomes private.
   */
  const admitted = async (request: FastifyRequest, spaceId: string) => {
    const { private: only } = await recordings.admitListener(spaceId, request.account?.id ?? null);
    return (policy: string) => (only ? policy.replace(/^public/, "private") : policy);
  };

  app.get("/recordings/:id/vod.m3u8", { schema: { hide: true } }, async (request, reply) => {
    const { id } = parseSpace(request.params);
    const cache = await admitted(request, id);
    const text = await recordings.playlist(id);
    return reply
      .header("cache-control", cache(recordingPlaylistCache))
      .type(playlistType)
      .send(text);
  });

  app.get("/recordings/:id/download.m4a", { schema: { hide: true } }, async (request, reply) => {
    const { id } = parseSpace(request.params);
    const cache = await admitted(request, id);
    const { space } = await recordings.recording(id);
    const body = Readable.from(recordings.download(id));
    return reply
      .header("cache-control", cache(recordingPlaylistCache))
      .header("content-disposition", attachment(`${space.title || "amphi"}.m4a`))
      .type("audio/mp4")
      .send(body);
  });

  app.get("/recordings/:id/:file", { schema: { hide: true } }, async (request, reply) => {
    const { id } = parseSpace(request.params);
    const cache = await admitted(request, id);
    const bytes = await recordings.file(id, (request.params as { file: string }).file);
    if (!bytes) throw new AmphiError("AMPHI_NOT_FOUND");
    return reply
      .header("cache-control", cache(hlsCacheControl.media))
      .type("audio/mp4")
      .send(bytes);
  });

  app.get("/clips/:clipId/clip.m3u8", { schema: { hide: true } }, async (request, reply) => {
    const clipId = parseClip(request.params);
    const cache = await admitted(request, (await recordings.clip(clipId)).record.spaceId);
    const text = await recordings.clipPlaylist(clipId);
    return reply
      .header("cache-control", cache(recordingPlaylistCache))
      .type(playlistType)
      .send(text);
  });

  app.get("/clips/:clipId/download.m4a", { schema: { hide: true } }, async (request, reply) => {
    const { clip, record } = await recordings.clip(parseClip(request.params));
    const cache = await admitted(request, record.spaceId);
    const body = Readable.from(
      recordings.download(record.spaceId, { start: record.startSeconds, end: record.endSeconds }),
    );
    return reply
      .header("cache-control", cache(recordingPlaylistCache))
      .header("content-disposition", attachment(`${clip.spaceTitle || "amphi"} (clip).m4a`))
      .type("audio/mp4")
      .send(body);
  });
}

function parseSpace(params: unknown): { id: string } {
  const parsed = spaceParamsSchema.safeParse(params);
  if (!parsed.success) throw new AmphiError("AMPHI_RECORDING_NOT_FOUND");
  return parsed.data;
}

function parseClip(params: unknown): string {
  const parsed = clipParamsSchema.safeParse(params);
  if (!parsed.success) throw new AmphiError("AMPHI_CLIP_NOT_FOUND");
  return parsed.data.clipId;
}
