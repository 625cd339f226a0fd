import { AmphiError } from "../errors/error-registry.ts";
import type { Limiter } from "../limits/limiter.ts";
import { readTimescale } from "../media/fmp4/fragment-reader.ts";
import { RecordingCut } from "../media/recorder/recording-cut.ts";
import type { JournalEntry } from "../media/recorder/recording-journal.ts";
import {
  partsInRange,
  renderRecordingPlaylist,
  totalDuration,
} from "../media/recorder/recording-playlist.ts";
import { newSpaceId } from "../spaces/space-id.ts";
import type { ClipRecord } from "../store/repositories/clips-repository.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { SpaceRecord } from "../store/repositories/spaces-repository.ts";
import { ReadersInFlight } from "./readers-in-flight.ts";
import type { RecordingStore } from "./store/recording-store.ts";

export const maxClipSeconds = 60;

export interface RecordingInfo {
  spaceId: string;
  durationSeconds: number;
  startedAt: string;
  expiresAt: string;
  playlistUrl: string;
  downloadUrl: string;
}

export interface ClipInfo {
  id: string;
  spaceId: string;
  spaceTitle: string;
  startSeconds: number;
  endSeconds: number;
  createdAt: string;
  createdBy: string;
  hostId: string;
  playlistUrl: string;
  downloadUrl: string;
  pageUrl: string;
}

/**
 * Replays, downloads and clips of ended Spaces, read from the recordings the media rooms
 * kept (the recording store: PostgreSQL in a fleet, DATA_DIR alone). A recording exists once
 * its Space has ended, was recorded, and is younger than the retention period.
 */
export class RecordingsService {
  constructor(
    private readonly repos: Repositories,
    private readonly store: RecordingStore,
    private readonly retentionDays: number,
    /** Clips made per account (absent: unlimited). */
    private readonly clipLimit: Limiter | null = null,
    private readonly now: () => Date = () => new Date(),
    /** How long a deletion waits for downloads already streaming the recording. */
    private readonly downloadGraceMs = 30_000,
  ) {}

  private readonly downloads = new ReadersInFlight();

  async recording(
    spaceId: string,
  ): Promise<{ space: SpaceRecord; info: RecordingInfo; entries: readonly JournalEntry[] }> {
    const space = await this.repos.spaces.findById(spaceId);
    if (!space) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    if (!space.recording || space.state !== "ended" || !space.endedAt) {
      throw new AmphiError("AMPHI_RECORDING_NOT_FOUND");
    }
    if (space.recordingDeleted?.by === "host") throw new AmphiError("AMPHI_RECORDING_DELETED");
    if (space.recordingDeleted) throw new AmphiError("AMPHI_RECORDING_NOT_FOUND");
    const expiresAt = new Date(space.endedAt.getTime() + this.retentionDays * 86_400_000);
    if (expiresAt <= this.now()) throw new AmphiError("AMPHI_RECORDING_NOT_FOUND");
    const entries = await this.store.parts(spaceId);
    const first = entries[0];
    if (!first) throw new AmphiError("AMPHI_RECORDING_NOT_FOUND");
    return {
      space,
      entries,
      info: {
        spaceId,
        durationSeconds: Math.round(totalDuration(entries) * 1000) / 1000,
        startedAt: new Date(first.startedAt).toISOString(),
        expiresAt: expiresAt.toISOString(),
        playlistUrl: `/recordings/${spaceId}/vod.m3u8`,
        downloadUrl: `/recordings/${spaceId}/download.m4a`,
      },
    };
  }

  async playlist(spaceId: string): Promise<string> {
    const { entries } = await this.recording(spaceId);
    return renderRecordingPlaylist(entries);
  }

  /** A file of the recording by name (init.mp4 or a part), or null. */
  async file(spaceId: string, name: string): Promise<Uint8Array | null> {
    if (name !== "init.mp4" && !/^part-\d{1,16}-\d{1,16}\.m4s$/.test(name)) return null;
    await this.recording(spaceId);
    return name === "init.mp4" ? this.store.init(spaceId) : this.store.part(spaceId, name);
  }

  /**
   * The whole recording (or a range of it) as one fragmented MP4 file, piece by piece: the
   * samples of the range on a timeline of their own that starts at 0 (RecordingCut).
   */
  async *download(
    spaceId: string,
    range: { start: number; end: number } = { start: 0, end: Number.POSITIVE_INFINITY },
  ): AsyncGenerator<Uint8Array> {
    const leave = this.downloads.enter(spaceId);
    try {
      const { entries } = await this.recording(spaceId);
      const init = await this.store.init(spaceId);
      if (!init) throw new AmphiError("AMPHI_RECORDING_NOT_FOUND");
      const timescale = readTimescale(init);
      if (!timescale.ok) throw new Error(`recording ${spaceId}: init.mp4: ${timescale.reason}`);
      yield init;
      const cut = new RecordingCut(range, timescale.value);
      let partStart = 0;
      for (const e of entries) {
        const from = partStart;
        partStart += e.duration;
        if (partStart <= range.start || from >= range.end) continue;
        const bytes = await this.store.part(spaceId, e.uri);
        if (!bytes) throw new Error(`recording ${spaceId}: part ${e.uri} is listed but missing`);
        const fragment = cut.cut(bytes, from);
        if (fragment) yield fragment;
      }
    } finally {
      leave();
    }
  }

  async createClip(
    spaceId: string,
    actorId: string,
    startSeconds: number,
    endSeconds: number,
  ): Promise<ClipInfo> {
    await this.clipLimit?.take(actorId);
    const { space, info } = await this.recording(spaceId);
    const problems: { path: string[]; message: string }[] = [];
    if (endSeconds <= startSeconds)
      problems.push({ path: ["body", "endSeconds"], message: "must be after startSeconds" });
    if (endSeconds - startSeconds > maxClipSeconds) {
      problems.push({
        path: ["body", "endSeconds"],
        message: `a clip lasts at most ${maxClipSeconds} s`,
      });
    }
    if (startSeconds >= info.durationSeconds) {
      problems.push({ path: ["body", "startSeconds"], message: "must be within the recording" });
    }
    if (problems.length > 0) {
      throw new AmphiError("AMPHI_VALIDATION_FAILED", {
        message: problems[0]?.message ?? "",
        details: problems,
      });
    }
    const clip = await this.repos.clips.create({
      id: newSpaceId(),
      spaceId,
      createdBy: actorId,
      startSeconds,
      endSeconds: Math.min(endSeconds, info.durationSeconds),
    });
    return clipInfo(clip, space);
  }

  async clip(clipId: string): Promise<{ clip: ClipInfo; record: ClipRecord }> {
    const record = await this.repos.clips.findById(clipId);
    if (!record) throw new AmphiError("AMPHI_CLIP_NOT_FOUND");
    const { space } = await this.recording(record.spaceId);
    return { clip: clipInfo(record, space), record };
  }

  /** The clip's playlist: the recording's parts covering its range. */
  async clipPlaylist(clipId: string): Promise<string> {
    const { record } = await this.clip(clipId);
    const { entries } = await this.recording(record.spaceId);
    const parts = partsInRange(entries, record.startSeconds, record.endSeconds);
    return renderRecordingPlaylist(
      parts.map((p) => ({ ...p, uri: `/recordings/${record.spaceId}/${p.uri}` })),
      `/recordings/${record.spaceId}/init.mp4`,
    );
  }

  /**
   * The host deletes the recording of their ended Space: its parts (files or rows) and every
   * clip of it go; the replay then answers 410 AMPHI_RECORDING_DELETED. Deleting it again
   * does the same (a deletion that failed half-way is finished).
   */
  async deleteRecording(spaceId: string, actorId: string): Promise<{ clipsDeleted: number }> {
    const space = await this.repos.spaces.findById(spaceId);
    if (!space) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    if (space.hostId !== actorId) throw new AmphiError("AMPHI_FORBIDDEN");
    if (!space.recording || space.state !== "ended") {
      throw new AmphiError("AMPHI_RECORDING_NOT_FOUND");
    }
    // Marked first: from now on nobody is served a part that is about to go.
    await this.repos.spaces.markRecordingDeleted(spaceId, "host", this.now());
    return this.erase(spaceId);
  }

  /**
   * Who may play a recording or a clip of it, as for the live audio: a Space that asks its
   * listeners to log in replays only to people logged in, and nobody the hosts removed gets
   * its replay. Recordings are not signed like live URLs: edges pass them through uncached
   * (one listener's requests, not a crowd's), so the node answering checks the session
   * itself. `private`: the answer must not be kept by shared caches (a requireLogin Space).
   */
  async admitListener(spaceId: string, accountId: string | null): Promise<{ private: boolean }> {
    const space = await this.repos.spaces.findById(spaceId);
    if (!space) return { private: false };
    if (space.requireLogin && !accountId) {
      throw new AmphiError("AMPHI_UNAUTHENTICATED", {
        message: "The host asks listeners of this Space to log in.",
      });
    }
    if (accountId) {
      const participant = await this.repos.participants.find(spaceId, accountId);
      if (participant?.removed) throw new AmphiError("AMPHI_REMOVED_FROM_SPACE");
    }
    return { private: space.requireLogin };
  }

  /** The clip's creator or the host of its Space deletes a clip. */
  async deleteClip(clipId: string, actorId: string): Promise<void> {
    const clip = await this.repos.clips.findById(clipId);
    if (!clip) throw new AmphiError("AMPHI_CLIP_NOT_FOUND");
    if (clip.createdBy !== actorId) {
      const space = await this.repos.spaces.findById(clip.spaceId);
      if (space?.hostId !== actorId) throw new AmphiError("AMPHI_FORBIDDEN");
    }
    await this.repos.clips.delete(clipId);
  }

  /**
   * Deletes recordings past the retention period (their files or rows, and their clips) and
   * marks them deleted; returns how many. Runs at start, then periodically (ControlPlane).
   */
  async sweep(): Promise<number> {
    const now = this.now();
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      const ids = await this.repos.spaces.recordedEndedBefore(cutoff, 100);
      for (const id of ids) {
        await this.erase(id);
        await this.repos.spaces.markRecordingDeleted(id, "retention", now);
      }
      deleted += ids.length;
      if (ids.length < 100) return deleted;
    }
  }

  private async erase(spaceId: string): Promise<{ clipsDeleted: number }> {
    // Downloads that started before the mark finish first (ReadersInFlight).
    await this.downloads.drained(spaceId, this.downloadGraceMs);
    await this.store.delete(spaceId);
    return { clipsDeleted: await this.repos.clips.deleteOfSpace(spaceId) };
  }
}

/** A clip as the API shows it; `space` is the Space it was cut from. */
export function clipInfo(clip: ClipRecord, space: { title: string; hostId: string }): ClipInfo {
  return {
    id: clip.id,
    spaceId: clip.spaceId,
    spaceTitle: space.title,
    startSeconds: clip.startSeconds,
    endSeconds: clip.endSeconds,
    createdAt: clip.createdAt.toISOString(),
    createdBy: clip.createdBy,
    hostId: space.hostId,
    playlistUrl: `/clips/${clip.id}/clip.m3u8`,
    downloadUrl: `/clips/${clip.id}/download.m4a`,
    pageUrl: `/clips/${clip.id}`,
  };
}
