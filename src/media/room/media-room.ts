import type { Logger } from "pino";
import {
  FencedOut,
  type RecordedPart,
  type RecordingStore,
} from "../../recordings/store/recording-store.ts";
import {
  RecordingWriter,
  type RecordingWriterEvents,
} from "../../recordings/store/recording-writer.ts";
import type { RtpAudioPacket } from "../jitter/jitter-buffer.ts";
import { LiveCueWriter } from "../live-state/live-cue-writer.ts";
import { startProgramFeed } from "../mixer/program-encoder.ts";
import { ProgramMixer, type SpeakerLevel } from "../mixer/program-mixer.ts";
import type { HlsOrigin } from "../origin/hls-origin.ts";
import type { HlsStream } from "../origin/hls-stream.ts";
import type { EncodedFrame, PackagedPart, StreamPosition } from "../packager/hls-packager.ts";
import { totalDuration } from "../recorder/recording-playlist.ts";

export interface MediaRoomOptions {
  spaceId: string;
  origin: HlsOrigin;
  /** Where the recording goes; null: not recorded. */
  recordTo: RecordingStore | null;
  /** This node's placement epoch for the Space (fences the recording; the clock alone). */
  epoch: number;
  /**
   * Where the Space's stream stood when its last owner published its last part (another
   * media node before a takeover); the room continues from there or from its recording.
   */
  lastPosition?: StreamPosition | null;
  /** After each published part: where the stream stands (for the next owner). */
  onPublished?: (position: Required<StreamPosition>) => void;
  /** A newer owner writes this Space's recording: another node serves it now. */
  onFenced?: () => void;
  /** The recording paused (writes fail), resumed, dropped parts (RecordingWriter). */
  recordingEvents?: RecordingWriterEvents;
  /** Parts held in memory while recording writes fail (RecordingWriter's maxPending). */
  recordingBacklogParts?: number;
  /** How long a stop waits for the recording's backlog before giving it up. */
  recordingFlushMs?: number;
  bitrate: number;
  log: Logger;
  /** Who is speaking changed (ids of speakers above the speaking threshold). */
  onSpeaking: (speakerIds: string[]) => void;
}

/** Frames packaged after the end cue (0.2 s): the end is not the stream's very last frame. */
const endTailFrames = 10;

export interface StageSpeaker {
  id: string;
  muted: boolean;
}

/**
 * The media plane of one live Space: speakers' RTP -> jitter buffers -> mix -> one Opus
 * encode every 20 ms (the clock runs whether anyone speaks or not) -> CMAF parts -> the
 * recorder (durable first) -> the LL-HLS origin.
 */
export class MediaRoom {
  private readonly mixer: ProgramMixer;
  private readonly feed: ReturnType<typeof startProgramFeed>;
  /** Parts go to disk, then to listeners, strictly in order. */
  private chain: Promise<void> = Promise.resolve();
  private speaking = "";
  private stopped = false;
  /** The live state listeners get in the media (who speaks, reactions, counts, stage). */
  private readonly cues = new LiveCueWriter();
  /** The cue for the frame the feed emits next (levels come just before their frame). */
  private nextCue: string | undefined;
  /** The Space ended: the next frame carries the end cue, then this is called. */
  private endCuePackaged: (() => void) | null = null;
  /** The next frame carries the end cue. */
  private endCueDue = false;
  /** Frames still to package after the end cue. */
  private endTail = 0;
  /** The stop under way: stopping twice waits for the first. */
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly options: MediaRoomOptions,
    private readonly stream: HlsStream,
    private readonly recorder: RecordingWriter | null,
  ) {
    const { log } = options;
    this.mixer = new ProgramMixer({
      onSpeakerError: (id, error) =>
        log.debug({ err: error, speakerId: id }, "media: speaker frame lost"),
    });
    this.feed = startProgramFeed({
      mixer: this.mixer,
      bitrate: options.bitrate,
      onFrame: (frame) => this.onFrame(frame),
      onLevels: (levels) => this.onLevels(levels),
      onError: (error) => log.error({ err: error }, "media: mix tick failed"),
    });
  }

  static async start(options: MediaRoomOptions): Promise<MediaRoom> {
    const { recordTo: store, spaceId } = options;
    // Take the recording first (raising its owner epoch), then read it: a stale owner's last
    // write is then either in what we read or refused, never a second copy of a part.
    let begun = false;
    if (store) {
      begun = await store.begin(spaceId, options.origin.initSegment(), options.epoch).then(
        () => true,
        (error: unknown) => {
          if (error instanceof FencedOut) throw error;
          options.log.error({ err: error }, "media: cannot take the recording yet; retrying");
          return false;
        },
      );
    }
    // The store down must not keep the Space silent: the position the last owner left in
    // the shared state (if any) stands in for the recording's.
    const recorded = store
      ? await store.parts(spaceId).catch((error: unknown) => {
          options.log.error({ err: error }, "media: cannot read the recording; starting anyway");
          return [];
        })
      : [];
    const resumeFrom = furthest(positionAfter(recorded), options.lastPosition ?? null);
    const stream = options.origin.open(spaceId, resumeFrom ?? undefined);
    const init = stream.get("init.mp4") as Uint8Array;
    let recorder: RecordingWriter | null = null;
    if (store) {
      recorder = new RecordingWriter({
        store,
        spaceId,
        epoch: options.epoch,
        init,
        begun,
        log: options.log,
        onFenced: () => options.onFenced?.(),
        ...(options.recordingEvents ? { events: options.recordingEvents } : {}),
        ...(options.recordingBacklogParts ? { maxPending: options.recordingBacklogParts } : {}),
      });
    }
    return new MediaRoom(options, stream, recorder);
  }

  /** Since when this Space's recording is paused (its writes fail), or null. */
  get recordingPausedSince(): Date | null {
    return this.recorder?.pausedSince ?? null;
  }

  /** Puts exactly these people on the mix, muted or not. */
  setStage(speakers: readonly StageSpeaker[]): void {
    const wanted = new Map(speakers.map((s) => [s.id, s.muted]));
    for (const id of this.mixer.speakerIds) if (!wanted.has(id)) this.mixer.removeSpeaker(id);
    for (const [id, muted] of wanted) {
      this.mixer.addSpeaker(id);
      this.mixer.setMuted(id, muted);
    }
  }

  /** The Space document's version now: players holding another one read it again. */
  setStageVersion(version: string): void {
    this.cues.setStage(version);
  }

  setListeners(count: number): void {
    this.cues.setListeners(count);
  }

  addReactions(counts: Readonly<Record<string, number | undefined>>): void {
    this.cues.addReactions(counts);
  }

  pushRtp(speakerId: string, packet: RtpAudioPacket): void {
    this.mixer.pushPacket(speakerId, packet, performance.now());
  }

  /**
   * Ends the feed. `ended` (the Space ended): the last part is kept and published, then the
   * playlist ends. Otherwise (this node lets the Space go: its lease was lost, or the node
   * shuts down while the Space goes on elsewhere) the stream just stops here, without
   * EXT-X-ENDLIST, so no player takes it for the end; the parts already made are still kept.
   */
  stop(options: { ended: boolean } = { ended: true }): Promise<void> {
    this.stopping ??= this.stopOnce(options);
    return this.stopping;
  }

  private async stopOnce(options: { ended: boolean }): Promise<void> {
    // Every listener learns the end from the media: one more frame carries the end cue.
    if (options.ended) await this.packageEndCue();
    this.stopped = true;
    this.feed.stop();
    if (options.ended) {
      const last = this.stream.finish();
      if (last) this.enqueue(last);
    }
    await this.chain;
    // A disk that stays full must not hold the end: the backlog is given up after a while.
    const flushed = await this.recorder?.flush(this.options.recordingFlushMs ?? 30_000);
    if (flushed === false) {
      this.options.log.error("recording: writes still fail at the end; the backlog is lost");
    }
    if (options.ended) {
      this.stream.touch();
      this.options.origin.close(this.options.spaceId);
    } else {
      this.options.origin.close(this.options.spaceId, 0);
    }
  }

  /**
   * Packages the end cue on the next frame, then `endTailFrames` more, so the cue is not on
   * the stream's very last frame (a player may stop a hair before it); resolves then, or after
   * a second on a stalled loop.
   */
  private packageEndCue(): Promise<void> {
    this.endCueDue = true;
    this.endTail = endTailFrames;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endCuePackaged = null;
        resolve();
      };
      const timer = setTimeout(done, 1_000);
      this.endCuePackaged = done;
    });
  }

  private onFrame(frame: EncodedFrame): void {
    if (this.stopped) return;
    const cue = this.nextCue;
    this.nextCue = undefined;
    const ending = this.endCuePackaged !== null && !this.endCueDue && this.endTail-- <= 0;
    const part = this.stream.package(cue === undefined ? frame : { ...frame, cue }, Date.now());
    if (part) this.enqueue(part);
    if (ending) {
      // Nothing after the end: a clock catching up may tick again before stop() goes on.
      this.stopped = true;
      this.endCuePackaged?.();
    }
  }

  private enqueue(part: PackagedPart): void {
    const { recorder, stream, options } = this;
    this.chain = this.chain
      .then(() =>
        recorder?.write({
          uri: part.uri,
          msn: part.msn,
          index: part.index,
          duration: part.durationSeconds,
          startedAt: part.startedAt,
          ...(part.discontinuity ? { discontinuity: true } : {}),
          bytes: part.bytes,
        }),
      )
      .then(() => {
        stream.publish(part);
        options.onPublished?.(part.position);
      })
      .catch((error: unknown) => {
        options.log.error({ err: error, spaceId: options.spaceId }, "media: publish failed");
      });
  }

  private onLevels(levels: ReadonlyMap<string, SpeakerLevel>): void {
    if (this.endCueDue) {
      this.endCueDue = false;
      this.nextCue = this.cues.end();
    } else if (this.endCuePackaged) {
      this.nextCue = undefined;
    } else {
      this.nextCue = this.cues.next(levels, this.stream.partStarting);
    }
    const speaking = [...levels]
      .filter(([, l]) => l.speaking)
      .map(([id]) => id)
      .sort();
    const key = speaking.join(",");
    if (key === this.speaking) return;
    this.speaking = key;
    this.options.onSpeaking(speaking);
  }
}

/** Where a stream that continues this recording starts: after its last part. */
export function positionAfter(parts: readonly RecordedPart[]): StreamPosition | null {
  const last = parts.at(-1);
  if (!last) return null;
  return {
    mediaSequence: last.msn + 1,
    decodeTime: Math.round(totalDuration(parts) * 48_000),
    discontinuitySequence: parts.filter((p) => p.discontinuity).length,
  };
}

/** The position further along (media sequence numbers never go back). */
function furthest(a: StreamPosition | null, b: StreamPosition | null): StreamPosition | null {
  if (!a) return b;
  if (!b) return a;
  return b.mediaSequence > a.mediaSequence ? b : a;
}
