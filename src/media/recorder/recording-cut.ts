/**
 * A downloadable file cut from a recording: the samples of [start, end) (seconds on the
 * recording's timeline, as the journal counts it) laid on a new timeline that starts at 0, so
 * a 2:00-2:20 clip plays from 0 for 20 s instead of claiming to start at 2:00 (tfdt,
 * ISO/IEC 14496-12 §8.8.12, carries the live stream's decode time). Gaps in the recording
 * (a takeover, a restart) close up the same way. Pure: bytes in, bytes out.
 */
import { readMediaFragments } from "../fmp4/fragment-reader.ts";
import { type FragmentSample, mediaFragment } from "../fmp4/media-fragment.ts";

export class RecordingCut {
  private ticks = 0;
  private sequence = 0;

  constructor(
    private readonly range: { readonly start: number; readonly end: number },
    /** The track's media timescale (mdhd), ticks per second. */
    private readonly timescale: number,
  ) {}

  /**
   * The part's samples inside the range, as one fragment on the new timeline, or null when
   * none falls inside. `partStart` is where the part begins on the recording's timeline.
   */
  cut(part: Uint8Array, partStart: number): Uint8Array | null {
    const read = readMediaFragments(part);
    if (!read.ok) throw new Error(`a recorded part cannot be read: ${read.reason}`);
    const kept: FragmentSample[] = [];
    let offset = 0;
    let trackId = 1;
    for (const fragment of read.value) {
      trackId = fragment.trackId;
      for (const sample of fragment.samples) {
        const from = partStart + offset / this.timescale;
        offset += sample.duration;
        const to = partStart + offset / this.timescale;
        if (to > this.range.start && from < this.range.end) kept.push(sample);
      }
    }
    if (kept.length === 0) return null;
    const bytes = mediaFragment({
      sequenceNumber: ++this.sequence,
      baseMediaDecodeTime: this.ticks,
      samples: kept,
      trackId,
    });
    for (const sample of kept) this.ticks += sample.duration;
    return bytes;
  }

  /** Seconds of media cut so far. */
  get seconds(): number {
    return this.ticks / this.timescale;
  }
}
