import { z } from "zod";

/** Replays and clips of ended Spaces. */

export const recordingSchema = z
  .object({
    spaceId: z.string(),
    durationSeconds: z.number(),
    startedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().describe("When the recording is deleted (retention)"),
    playlistUrl: z.string().describe("HLS VOD playlist"),
    downloadUrl: z.string().describe("The whole conversation as one .m4a (fragmented MP4, Opus)"),
  })
  .meta({ id: "Recording" });

export const clipSchema = z
  .object({
    id: z.string(),
    spaceId: z.string(),
    spaceTitle: z.string(),
    startSeconds: z.number(),
    endSeconds: z.number(),
    createdAt: z.iso.datetime(),
    playlistUrl: z.string(),
    downloadUrl: z.string(),
    pageUrl: z.string(),
  })
  .meta({ id: "Clip" });

export const createClipBodySchema = z.object({
  startSeconds: z.number().min(0).max(1e7),
  endSeconds: z.number().min(0).max(1e7),
});

export type Recording = z.infer<typeof recordingSchema>;
export type Clip = z.infer<typeof clipSchema>;
export type CreateClipInput = z.input<typeof createClipBodySchema>;
