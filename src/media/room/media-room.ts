import type { Logger } from "pino";
import type { RtpAudioPacket } from "../jitter/jitter-buffer.ts";
import { startProgramFeed } from "../mixer/program-encoder.ts";
import { ProgramMixer, type SpeakerLevel } from "../mixer/program-mixer.ts";
import type { HlsOrigin } from "../origin/hls-origin.ts";
import type { HlsStream } from "../origin/hls-stream.ts";
import type { EncodedFrame, PackagedPart } from "../packager/hls-packager.ts";
import { Recorder, readRecording } from "../recorder/recorder.ts";
import { totalDuration } from "../recorder/recording-playlist.ts";

export interface MediaRoomOptions {
  spaceId: string;
  origin: HlsOrigin;
  /** Where recordings go (`<dataDir>/recordings/<spaceId>`); null: not recorded. */
  recordTo: string | null;
  bitrate: number;
  log: Logger;
  /** Who is speaking changed (ids of speakers above the speaking threshold). */
  onSpeaking: (speakerIds: string[]) => void;
}

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

  private constructor(
    private readonly options: MediaRoomOptions,
    private readonly stream: HlsStream,
    private readonly recorder: Recorder | null,
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
    let resumeFrom: { mediaSequence: number; decodeTime: number } | undefined;
    if (options.recordTo) {
      const entries = await readRecording(options.recordTo, options.spaceId);
      const last = entries.at(-1);
      if (last) {
        resumeFrom = {
          mediaSequence: last.msn + 1,
          decodeTime: Math.round(totalDuration(entries) * 48_000),
        };
      }
    }
    const stream = options.origin.open(options.spaceId, resumeFrom);
    const init = stream.get("init.mp4") as Uint8Array;
    const recorder = options.recordTo
      ? await Recorder.open(options.recordTo, options.spaceId, init)
      : null;
    return new MediaRoom(options, stream, recorder);
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

  pushRtp(speakerId: string, packet: RtpAudioPacket): void {
    this.mixer.pushPacket(speakerId, packet, performance.now());
  }

  /** Ends the feed: the last part is written and published, then the playlist ends. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.feed.stop();
    const last = this.stream.finish();
    if (last) this.enqueue(last);
    await this.chain;
    this.stream.touch();
    this.options.origin.close(this.options.spaceId);
  }

  private onFrame(frame: EncodedFrame): void {
    if (this.stopped) return;
    const part = this.stream.package(frame, Date.now());
    if (part) this.enqueue(part);
  }

  private enqueue(part: PackagedPart): void {
    const { recorder, stream, options } = this;
    this.chain = this.chain
      .then(() => recorder?.write(part))
      .catch((error: unknown) => {
        // The live audience keeps hearing the Space; the recording stops at the last good part.
        options.log.error(
          { err: error, spaceId: options.spaceId },
          "media: recording write failed",
        );
      })
      .then(() => stream.publish(part));
  }

  private onLevels(levels: ReadonlyMap<string, SpeakerLevel>): void {
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
