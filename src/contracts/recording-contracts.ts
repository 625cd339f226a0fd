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
    createdBy: z.string().describe("Account id of who made the clip (may delete it)"),
    hostId: z.string().describe("Account id of the Space's host (may delete it too)"),
    playlistUrl: z.string(),
    downloadUrl: z.string(),
    pageUrl: z.string(),
  })
  .meta({ id: "Clip" });

/**
 * A live Space's recording as its hosts see it (the `recording` live push, docs/api.md):
 * `on` while it records, `paused` while its writes fail (a full disk, the database away: the
 * live audio goes on, the recording resumes when writes succeed), `off` when the Space is not
 * recorded or not live.
 */
export const recordingStatusSchema = z
  .object({
    state: z.enum(["on", "paused", "off"]),
    pausedSince: z.iso.datetime().nullable().describe("When writes began to fail (paused only)"),
  })
  .meta({ id: "RecordingStatus" });

export const createClipBodySchema = z.object({
  startSeconds: z.number().min(0).max(1e7),
  endSeconds: z.number().min(0).max(1e7),
});

export type Recording = z.infer<typeof recordingSchema>;
export type Clip = z.infer<typeof clipSchema>;
export type RecordingStatus = z.infer<typeof recordingStatusSchema>;
export type CreateClipInput = z.input<typeof createClipBodySchema>;
