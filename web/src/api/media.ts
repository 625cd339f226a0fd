import { apiRequest, type RequestOptions } from "./client";
import type { Clip, CreateClipInput, Recording } from "./types";

const enc = encodeURIComponent;

/** Recordings of ended Spaces and the clips cut from them. */
export const mediaApi = {
  recording: (spaceId: string, options?: RequestOptions) =>
    apiRequest<{ recording: Recording }>(
      "GET",
      `/api/spaces/${enc(spaceId)}/recording`,
      undefined,
      options,
    ),
  createClip: (spaceId: string, input: CreateClipInput) =>
    apiRequest<{ clip: Clip }>("POST", `/api/spaces/${enc(spaceId)}/clips`, input),
  clip: (clipId: string, options?: RequestOptions) =>
    apiRequest<{ clip: Clip }>("GET", `/api/clips/${enc(clipId)}`, undefined, options),
  /** The host deletes the recording of their ended Space, with its clips. */
  deleteRecording: (spaceId: string) =>
    apiRequest<null>("DELETE", `/api/spaces/${enc(spaceId)}/recording`),
  /** The clip's creator or the Space's host deletes a clip. */
  deleteClip: (clipId: string) => apiRequest<null>("DELETE", `/api/clips/${enc(clipId)}`),
};
