import { eventMessageBox, ID3_EMSG_SCHEME } from "../fmp4/emsg.ts";
import { id3UserText } from "../fmp4/id3.ts";
import { type FragmentSample, initSegment, mediaFragment } from "../fmp4/index.ts";
import { LIVE_CUE_DESCRIPTION } from "../live-state/live-cue.ts";
import { LivePlaylist, type PlaylistSegment, type PlaylistSnapshot } from "../llhls/index.ts";

/** One encoded Opus packet of the program feed. */
export interface EncodedFrame {
  data: Uint8Array;
  /** 48 kHz samples: 960 for 20 ms. */
  durationSamples: number;
  /**
   * Timed metadata at this frame's media time (the live state: who speaks, reactions...):
   * written into the part as an `emsg` carrying an ID3 tag (src/media/live-state).
   */
  cue?: string;
}

export interface PackagerOptions {
  /** PART-TARGET in seconds (0.5 by default). */
  partTarget?: number;
  /** Segment target in seconds (2 by default). */
  segmentTarget?: number;
  /** Segments kept in the live playlist (6 by default). */
  windowSegments?: number;
  /** Opus priming samples of the encoder (libopus: 312). */
  preSkip?: number;
  /**
   * Where to continue an earlier stream of the Space (a restart, a takeover by another media
   * node): the media sequence never goes back, the decode time runs on, and the first
   * segment starts with EXT-X-DISCONTINUITY (wall-clock time jumped over the gap).
   */
  resumeFrom?: StreamPosition;
}

/** Where a stream stands after a part: what a stream that resumes it starts from. */
export interface StreamPosition {
  /** The msn the next segment takes (one past the segment of the last part). */
  mediaSequence: number;
  /** 48 kHz samples from the start of the stream to the end of the last part. */
  decodeTime: number;
  /** The discontinuity sequence number of the last part's segment; 0 when never resumed. */
  discontinuitySequence?: number;
}

/** What one finished part produced: its bytes, and the segment it closed, if any. */
export interface PackagedPart {
  uri: string;
  msn: number;
  index: number;
  bytes: Uint8Array;
  durationSeconds: number;
  /** Wall-clock time of its first sample, epoch ms. */
  startedAt: number;
  /** The segment this part completed: its URI and its bytes (its parts, in order). */
  closed?: { segment: PlaylistSegment; bytes: Uint8Array };
  /** Segments that left the live window. */
  removed: readonly PlaylistSegment[];
  /** The timeline jumps before this part (the first of a resumed stream). */
  discontinuity: boolean;
  /** Where the stream stands after this part. */
  position: Required<StreamPosition>;
}

const RATE = 48_000;
/** Samples in one program frame (20 ms). */
const FRAME = 960;

/**
 * Turns the program feed (Opus packets) into CMAF parts and segments and keeps the LL-HLS
 * playlist: frames in, parts out. Pure: time comes in as `nowMs` with each frame.
 */
export class HlsPackager {
  readonly init: Uint8Array;
  readonly playlist: LivePlaylist;
  private readonly partSamples: number;
  private pending: FragmentSample[] = [];
  /** Cues of the pending frames: their offset in samples from the part's start, and text. */
  private pendingCues: { offset: number; text: string }[] = [];
  private pendingSamples = 0;
  private pendingStartedAt = 0;
  private decodeTime = 0;
  private sequence = 1;
  /** Fragments of the open segment, joined into the segment's bytes when it closes. */
  private openSegment: Uint8Array[] = [];
  private readonly resumed: boolean;
  private readonly firstMsn: number;

  constructor(options: PackagerOptions = {}) {
    const partTarget = options.partTarget ?? 0.5;
    // Whole 20 ms frames, never past the part target (RFC 8216bis §4.4.4.9): 0.25 s -> 0.24 s.
    this.partSamples = Math.max(FRAME, Math.floor((partTarget * RATE) / FRAME + 1e-9) * FRAME);
    this.playlist = new LivePlaylist({
      partTarget,
      segmentTarget: options.segmentTarget ?? 2,
      windowSegments: options.windowSegments ?? 6,
      firstMediaSequence: options.resumeFrom?.mediaSequence ?? 0,
      ...(options.resumeFrom
        ? { resumesAfterDiscontinuity: options.resumeFrom.discontinuitySequence ?? 0 }
        : {}),
    });
    this.decodeTime = options.resumeFrom?.decodeTime ?? 0;
    this.resumed = options.resumeFrom !== undefined;
    this.firstMsn = options.resumeFrom?.mediaSequence ?? 0;
    this.init = initSegment({
      channels: 1,
      sampleRate: RATE,
      preSkip: options.preSkip ?? 312,
      trackId: 1,
    });
  }

  /** Adds one frame; returns the part it completed, if it did. */
  push(frame: EncodedFrame, nowMs: number): PackagedPart | null {
    if (this.pending.length === 0) this.pendingStartedAt = nowMs;
    if (frame.cue !== undefined)
      this.pendingCues.push({ offset: this.pendingSamples, text: frame.cue });
    this.pending.push({ data: frame.data, duration: frame.durationSamples });
    this.pendingSamples += frame.durationSamples;
    return this.pendingSamples >= this.partSamples ? this.flush() : null;
  }

  /** Whether the next frame starts a part (a key cue goes there: the full live state). */
  get partStarting(): boolean {
    return this.pending.length === 0;
  }

  /** Ends the stream: the last (short) part, then EXT-X-ENDLIST. */
  end(): PackagedPart | null {
    const last = this.pending.length > 0 ? this.flush() : null;
    const closed = this.playlist.end();
    if (closed && last && !last.closed)
      last.closed = { segment: closed, bytes: this.takeSegmentBytes() };
    return last;
  }

  snapshot(): PlaylistSnapshot {
    return this.playlist.snapshot();
  }

  private flush(): PackagedPart {
    const fragment = mediaFragment({
      sequenceNumber: this.sequence++,
      baseMediaDecodeTime: this.decodeTime,
      samples: this.pending,
    });
    const bytes = this.pendingCues.length > 0 ? this.withCues(fragment) : fragment;
    this.pendingCues = [];
    const durationSeconds = this.pendingSamples / RATE;
    this.decodeTime += this.pendingSamples;
    const added = this.playlist.addPart({
      duration: durationSeconds,
      independent: true,
      startedAt: this.pendingStartedAt,
    });
    this.pending = [];
    this.pendingSamples = 0;
    this.openSegment.push(bytes);
    const first = added.part.index === 0 && added.part.msn === this.firstMsn;
    const part: PackagedPart = {
      uri: added.part.uri,
      msn: added.part.msn,
      index: added.part.index,
      bytes,
      durationSeconds,
      startedAt: this.pendingStartedAt,
      removed: added.removed,
      discontinuity: first && this.resumed,
      position: {
        mediaSequence: added.part.msn + 1,
        decodeTime: this.decodeTime,
        discontinuitySequence: this.playlist.currentDiscontinuity(),
      },
    };
    if (added.closed) part.closed = { segment: added.closed, bytes: this.takeSegmentBytes() };
    return part;
  }

  /** The fragment behind its cues' `emsg` boxes (CMAF puts them before the moof). */
  private withCues(fragment: Uint8Array): Uint8Array {
    const boxes = this.pendingCues.map(({ offset, text }) => {
      const presentationTime = this.decodeTime + offset;
      return eventMessageBox({
        schemeIdUri: ID3_EMSG_SCHEME,
        value: "",
        timescale: RATE,
        presentationTime,
        eventDuration: 0xffffffff,
        // One frame, one id: the same on every node that packages this moment.
        id: Math.floor(presentationTime / FRAME) % 0x1_0000_0000,
        messageData: id3UserText(LIVE_CUE_DESCRIPTION, text),
      });
    });
    const total = boxes.reduce((n, b) => n + b.byteLength, fragment.byteLength);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const b of [...boxes, fragment]) {
      out.set(b, offset);
      offset += b.byteLength;
    }
    return out;
  }

  private takeSegmentBytes(): Uint8Array {
    const total = this.openSegment.reduce((n, b) => n + b.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const b of this.openSegment) {
      out.set(b, offset);
      offset += b.length;
    }
    this.openSegment = [];
    return out;
  }
}
