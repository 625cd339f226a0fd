/**
 * The state of one LL-HLS media playlist (RFC 8216bis): finished parts go in, segments close
 * at the segment target, old segments slide out of the window. Pure: no I/O, no clock; the
 * caller passes wall-clock times in with the parts.
 */
import type {
  AddPartResult,
  LivePlaylistOptions,
  NewPart,
  NextPart,
  PlaylistPart,
  PlaylistSegment,
  PlaylistSnapshot,
} from "./types.ts";
import { INIT_URI, partUri, segmentUri } from "./uris.ts";

/** Float slack so that sums such as 25 x 0.02 s meet a 0.5 s target. */
const EPSILON = 1e-6;
/** Kept below TARGETDURATION + 0.5 so the rounded EXTINF never exceeds it (§4.4.3.1). */
const ROUNDING_MARGIN = 0.001;

export class LivePlaylist {
  readonly targetDuration: number;
  readonly #segmentTarget: number;
  readonly #partTarget: number;
  readonly #partHoldBack: number;
  readonly #window: number;
  readonly #mapUri: string;
  readonly #segmentUri: (msn: number) => string;
  readonly #partUri: (msn: number, index: number) => string;
  #segments: readonly PlaylistSegment[] = [];
  #mediaSequence: number;
  #discontinuitySequence: number;
  #open: {
    msn: number;
    parts: readonly PlaylistPart[];
    programDateTime?: number;
    discontinuity?: boolean;
  };
  #ended = false;

  constructor(options: LivePlaylistOptions = {}) {
    this.#segmentTarget = options.segmentTarget ?? 2;
    this.#partTarget = options.partTarget ?? 0.5;
    this.#partHoldBack = options.partHoldBack ?? 3 * this.#partTarget;
    this.#window = options.windowSegments ?? 6;
    if (!(this.#partTarget > 0 && this.#partTarget <= this.#segmentTarget)) {
      throw new RangeError("partTarget must be positive and at most segmentTarget");
    }
    if (this.#partHoldBack < 2 * this.#partTarget) {
      throw new RangeError("PART-HOLD-BACK must be at least twice PART-TARGET (§4.4.3.8)");
    }
    if (!(this.#window >= 1) || !(Number.isInteger(this.#window) || this.#window === Infinity)) {
      throw new RangeError("windowSegments must be a positive integer or Infinity");
    }
    this.targetDuration = Math.max(1, Math.ceil(this.#segmentTarget - EPSILON));
    this.#mediaSequence = options.firstMediaSequence ?? 0;
    const resumed = options.resumesAfterDiscontinuity;
    this.#discontinuitySequence = resumed ?? 0;
    this.#open =
      resumed === undefined
        ? { msn: this.#mediaSequence, parts: [] }
        : { msn: this.#mediaSequence, parts: [], discontinuity: true };
    this.#mapUri = options.mapUri ?? INIT_URI;
    this.#segmentUri = options.segmentUri ?? segmentUri;
    this.#partUri = options.partUri ?? partUri;
  }

  /** The part the next `addPart` publishes, as EXT-X-PRELOAD-HINT names it; none once ended. */
  nextPart(): NextPart | undefined {
    if (this.#ended) return undefined;
    const { msn, parts } = this.#open;
    return { msn, index: parts.length, uri: this.#partUri(msn, parts.length) };
  }

  /**
   * Publishes a finished part. The segment closes when it reaches the segment target, or when
   * one more full part could round its EXTINF above TARGETDURATION (§4.4.3.1, §6.2.1).
   */
  addPart(input: NewPart): AddPartResult {
    if (this.#ended) throw new Error("the playlist has ended");
    if (!(input.duration > 0 && input.duration <= this.#partTarget + EPSILON)) {
      throw new RangeError(`a part lasts more than 0 s and at most PART-TARGET (§4.4.4.9)`);
    }
    const { msn, parts } = this.#open;
    const part: PlaylistPart = {
      msn,
      index: parts.length,
      uri: this.#partUri(msn, parts.length),
      duration: input.duration,
      independent: input.independent,
    };
    const programDateTime =
      parts.length === 0 ? this.#startTime(input) : this.#open.programDateTime;
    this.#open = { ...this.#open, parts: [...parts, part], programDateTime };
    const duration = sum(this.#open.parts);
    const limit = this.targetDuration + 0.5 - ROUNDING_MARGIN;
    if (duration < this.#segmentTarget - EPSILON && duration + this.#partTarget < limit) {
      return { part, removed: [] };
    }
    const closed = this.#close();
    return { part, closed, removed: this.#slide() };
  }

  /** Ends the stream: closes the open segment (if it has parts); EXT-X-ENDLIST follows. */
  end(): PlaylistSegment | undefined {
    if (this.#ended) return undefined;
    this.#ended = true;
    return this.#open.parts.length > 0 ? this.#close() : undefined;
  }

  snapshot(): PlaylistSnapshot {
    return {
      targetDuration: this.targetDuration,
      partTarget: this.#partTarget,
      partHoldBack: this.#partHoldBack,
      mapUri: this.#mapUri,
      mediaSequence: this.#mediaSequence,
      discontinuitySequence: this.#discontinuitySequence,
      segments: this.#segments,
      open: this.#open,
      ended: this.#ended,
      nextPart: this.nextPart(),
    };
  }

  /** The discontinuity sequence number of the segment being filled (§4.4.3.3). */
  currentDiscontinuity(): number {
    const jumps = this.#segments.filter((s) => s.discontinuity).length;
    return this.#discontinuitySequence + jumps + (this.#open.discontinuity ? 1 : 0);
  }

  #startTime(input: NewPart): number | undefined {
    if (input.startedAt !== undefined) return input.startedAt;
    const last = this.#segments.at(-1);
    if (last?.programDateTime === undefined || last.msn !== this.#open.msn - 1) return undefined;
    return last.programDateTime + last.duration * 1000;
  }

  #close(): PlaylistSegment {
    const { msn, parts, programDateTime, discontinuity } = this.#open;
    const segment: PlaylistSegment = {
      msn,
      uri: this.#segmentUri(msn),
      duration: sum(parts),
      parts,
      ...(programDateTime === undefined ? {} : { programDateTime }),
      ...(discontinuity ? { discontinuity } : {}),
    };
    this.#segments = [...this.#segments, segment];
    this.#open = { msn: msn + 1, parts: [] };
    return segment;
  }

  /** Drops the oldest segments beyond the window, never below 3 target durations (§6.2.2). */
  #slide(): PlaylistSegment[] {
    const removed: PlaylistSegment[] = [];
    let total = this.#segments.reduce((seconds, segment) => seconds + segment.duration, 0);
    let first = this.#segments[0];
    while (first && this.#segments.length - removed.length > this.#window) {
      if (total - first.duration < 3 * this.targetDuration - EPSILON) break;
      removed.push(first);
      total -= first.duration;
      first = this.#segments[removed.length];
    }
    this.#segments = this.#segments.slice(removed.length);
    this.#mediaSequence += removed.length;
    // §6.2.2: a removed EXT-X-DISCONTINUITY moves into EXT-X-DISCONTINUITY-SEQUENCE.
    this.#discontinuitySequence += removed.filter((s) => s.discontinuity).length;
    return removed;
  }
}

function sum(parts: readonly PlaylistPart[]): number {
  return parts.reduce((seconds, part) => seconds + part.duration, 0);
}
