import type { Logger } from "pino";
import type { Bus } from "../../bus/bus.ts";
import { isFinished } from "../../domain/spaces/space-lifecycle.ts";
import type { RecordingStore } from "../../recordings/store/recording-store.ts";
import type { RecordingWriterEvents } from "../../recordings/store/recording-writer.ts";
import type { SpaceEvents } from "../../spaces/events.ts";
import { versionOf } from "../../spaces/space-document.ts";
import type { SpaceSnapshot } from "../../spaces/space-snapshots.ts";
import type { RtpAudioPacket } from "../jitter/jitter-buffer.ts";
import type { HlsOrigin } from "../origin/hls-origin.ts";
import type { StreamPosition } from "../packager/hls-packager.ts";
import { MediaRoom, type StageSpeaker } from "./media-room.ts";

export interface MediaRoomsOptions {
  snapshot: (spaceId: string) => Promise<SpaceSnapshot>;
  liveSpaceIds: () => Promise<string[]>;
  origin: HlsOrigin;
  bus: Bus<SpaceEvents>;
  /** Where recorded Spaces' parts are kept. */
  recordings: RecordingStore;
  bitrate: number;
  log: Logger;
  /** Listeners of a Space now, fleet-wide (for the live state in the media); read each second. */
  listeners?: (spaceId: string) => number | Promise<number>;
  /** Closes a speaker's ingest when they leave the stage (or the whole Space when it ends). */
  closeIngest?: (spaceId: string, speakerId: string | null) => void;
  /**
   * Placement: asked before a live Space's room starts here; the lease's epoch when this node
   * owns the Space now, null when another media node does. Absent: this node runs every live
   * Space (one process, `ROLE=all`).
   */
  claim?: (spaceId: string) => Promise<number | null>;
  /** The room of a Space stopped here (it ended, or the node closes): give its lease up. */
  released?: (spaceId: string) => void;
  /** Where the Space's stream stood under its previous owner (placement), if known. */
  lastPosition?: (spaceId: string) => Promise<StreamPosition | null>;
  /** A part went out: where the stream stands now (for whoever takes the Space over). */
  published?: (spaceId: string, position: Required<StreamPosition>) => void;
  /** This node's recording of the Space was fenced out: another node owns it now. */
  fenced?: (spaceId: string) => void;
  /** Failed writes, pauses and dropped parts of each Space's recording (the metrics). */
  recordingEvents?: RecordingWriterEvents;
  /** Parts held in memory while a recording's writes fail. */
  recordingBacklogParts?: number;
}

/** Who the mix should carry: everyone on stage, muted or not. */
export function stageSpeakers(snapshot: SpaceSnapshot): StageSpeaker[] {
  const out: StageSpeaker[] = [];
  for (const p of snapshot.participants.values()) {
    if (!p.removed && p.role !== "listener") out.push({ id: p.accountId, muted: p.muted });
  }
  return out;
}

/**
 * Keeps one MediaRoom per live Space in step with the Space: started when it goes live (or,
 * after a restart, for every Space still live), told who is on stage after every change,
 * stopped when the Space ends. Changes to one Space are applied one at a time.
 */
export class MediaRooms {
  private readonly rooms = new Map<string, MediaRoom>();
  private readonly queues = new Map<string, Promise<void>>();
  /** Who is on each live Space's stage, and whether they are muted. */
  private readonly stages = new Map<string, Map<string, boolean>>();
  private unsubscribe: (() => void)[] = [];
  private countTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MediaRoomsOptions) {}

  async start(): Promise<void> {
    const { bus, listeners } = this.options;
    this.unsubscribe = [
      bus.subscribe("spaceChanged", ({ spaceId }) => this.sync(spaceId)),
      // Reactions reach every listener in the media, at the moment they arrived.
      bus.subscribe("reactions", (batch) =>
        this.rooms.get(batch.spaceId)?.addReactions(batch.counts),
      ),
    ];
    if (listeners) {
      this.countTimer = setInterval(() => {
        for (const id of this.rooms.keys()) void this.countListeners(id, listeners);
      }, 1_000);
      this.countTimer.unref();
    }
    for (const id of await this.options.liveSpaceIds()) this.sync(id);
  }

  /** Starts rooms for live Spaces that have none here (placement may now give them to us). */
  async rescan(): Promise<void> {
    const ids = await this.options.liveSpaceIds();
    await Promise.all(ids.filter((id) => !this.rooms.has(id)).map((id) => this.sync(id)));
  }

  /** Another node owns the Space now (our lease lapsed): stop serving it here at once. */
  drop(spaceId: string): Promise<void> {
    const next = (this.queues.get(spaceId) ?? Promise.resolve()).then(async () => {
      const room = this.rooms.get(spaceId);
      if (!room) return;
      this.rooms.delete(spaceId);
      this.stages.delete(spaceId);
      this.options.closeIngest?.(spaceId, null);
      await room.stop({ ended: false });
    });
    this.queues.set(
      spaceId,
      next.catch(() => {}),
    );
    return next;
  }

  /** Ids of the Spaces whose rooms run here. */
  spaceIds(): string[] {
    return [...this.rooms.keys()];
  }

  has(spaceId: string): boolean {
    return this.rooms.has(spaceId);
  }

  /** Spaces running here whose recording is paused now (their writes fail). */
  pausedRecordings(): number {
    let n = 0;
    for (const room of this.rooms.values()) if (room.recordingPausedSince) n++;
    return n;
  }

  /** Whether a speaker's audio belongs in the Space now: on its stage and not muted. */
  isAudible(spaceId: string, speakerId: string): boolean {
    return this.stages.get(spaceId)?.get(speakerId) === false;
  }

  pushRtp(spaceId: string, speakerId: string, packet: RtpAudioPacket): void {
    this.rooms.get(spaceId)?.pushRtp(speakerId, packet);
  }

  /** Brings the Space's room in line with the Space; returns once applied. */
  sync(spaceId: string): Promise<void> {
    const next = (this.queues.get(spaceId) ?? Promise.resolve())
      .then(() => this.apply(spaceId))
      .catch((error: unknown) =>
        this.options.log.error({ err: error, spaceId }, "media: could not sync the room"),
      );
    this.queues.set(spaceId, next);
    void next.then(() => {
      if (this.queues.get(spaceId) === next) this.queues.delete(spaceId);
    });
    return next;
  }

  /** The node shuts down: rooms stop without ending their Spaces (another node goes on). */
  async close(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    if (this.countTimer) clearInterval(this.countTimer);
    await Promise.all([...this.rooms.values()].map((room) => room.stop({ ended: false })));
    for (const id of this.rooms.keys()) this.options.released?.(id);
    this.rooms.clear();
  }

  /** The count goes into the room's live state; a failed read keeps the last one. */
  private async countListeners(
    spaceId: string,
    listeners: NonNullable<MediaRoomsOptions["listeners"]>,
  ): Promise<void> {
    try {
      const n = await listeners(spaceId);
      this.rooms.get(spaceId)?.setListeners(n);
    } catch (error) {
      this.options.log.debug({ err: error, spaceId }, "media: listener count unavailable");
    }
  }

  /** The node's recording events, plus the Space's pause and resume told to its hosts. */
  private recordingEvents(spaceId: string): RecordingWriterEvents {
    const { bus, recordingEvents: node } = this.options;
    return {
      writeFailed: (error) => node?.writeFailed?.(error),
      dropped: (parts) => node?.dropped?.(parts),
      paused: (since) => {
        node?.paused?.(since);
        bus.publish("recording", { spaceId, state: "paused", pausedSince: since.toISOString() });
      },
      resumed: (pausedMs) => {
        node?.resumed?.(pausedMs);
        bus.publish("recording", { spaceId, state: "on", pausedSince: null });
      },
    };
  }

  private async apply(spaceId: string): Promise<void> {
    const { options } = this;
    const snapshot = await options.snapshot(spaceId);
    const { space } = snapshot;
    let room = this.rooms.get(spaceId);
    room?.setStageVersion(versionOf(snapshot));
    if (isFinished(space.state)) {
      if (room) {
        this.rooms.delete(spaceId);
        this.stages.delete(spaceId);
        options.closeIngest?.(spaceId, null);
        await room.stop();
        options.released?.(spaceId);
        // Its last part is kept: the replay is complete (webhooks announce it).
        if (space.recording && space.state === "ended") {
          options.bus.publish("recordingReady", { spaceId });
        }
      }
      return;
    }
    if (space.state !== "live") return;
    if (!room) {
      // Alone (no placement), each start is a newer owner than the last: the clock.
      const epoch = options.claim ? await options.claim(spaceId) : Date.now();
      if (epoch === null) return;
      // Listeners sent here before the stream opens wait for it (MediaRoom.start reads the
      // recording first) rather than being told there is no stream.
      options.origin.expect(spaceId);
      try {
        room = await MediaRoom.start({
          spaceId,
          origin: options.origin,
          recordTo: space.recording ? options.recordings : null,
          epoch,
          lastPosition: await (options.lastPosition?.(spaceId) ?? null),
          bitrate: options.bitrate,
          log: options.log.child({ spaceId }),
          onSpeaking: (accountIds) => options.bus.publish("speaking", { spaceId, accountIds }),
          onPublished: (position) => options.published?.(spaceId, position),
          onFenced: () => options.fenced?.(spaceId),
          recordingEvents: this.recordingEvents(spaceId),
          ...(options.recordingBacklogParts
            ? { recordingBacklogParts: options.recordingBacklogParts }
            : {}),
        });
      } catch (error) {
        // Not started here (e.g. the recording store refused): let another try, or us later.
        options.origin.abandon(spaceId);
        options.released?.(spaceId);
        throw error;
      }
      this.rooms.set(spaceId, room);
      room.setStageVersion(versionOf(snapshot));
      if (options.listeners) void this.countListeners(spaceId, options.listeners);
    }
    const speakers = stageSpeakers(snapshot);
    room.setStage(speakers);
    const now = new Map(speakers.map((s) => [s.id, s.muted]));
    for (const id of this.stages.get(spaceId)?.keys() ?? []) {
      if (!now.has(id)) options.closeIngest?.(spaceId, id);
    }
    this.stages.set(spaceId, now);
  }
}
