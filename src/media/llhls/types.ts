/** The shapes of the LL-HLS playlist model (RFC 8216bis §3.2: segments and their parts). */

export interface PlaylistPart {
  readonly msn: number;
  readonly index: number;
  readonly uri: string;
  /** Seconds. */
  readonly duration: number;
  readonly independent: boolean;
}

export interface PlaylistSegment {
  readonly msn: number;
  readonly uri: string;
  /** Seconds: the sum of its parts. */
  readonly duration: number;
  readonly parts: readonly PlaylistPart[];
  /** Wall-clock time of its first sample, epoch milliseconds (EXT-X-PROGRAM-DATE-TIME). */
  readonly programDateTime?: number;
  /**
   * The timeline jumps before this segment (EXT-X-DISCONTINUITY, §4.4.4.3): the stream
   * resumed here after its media node restarted or another took the Space over.
   */
  readonly discontinuity?: boolean;
}

/** Everything a renderer or a blocking-reload decision needs, frozen at one instant. */
export interface PlaylistSnapshot {
  /** EXT-X-TARGETDURATION, whole seconds; never changes (§6.2.1). */
  readonly targetDuration: number;
  readonly partTarget: number;
  readonly partHoldBack: number;
  readonly mapUri: string;
  /** EXT-X-MEDIA-SEQUENCE: the msn of `segments[0]` (§4.4.3.2). */
  readonly mediaSequence: number;
  /**
   * EXT-X-DISCONTINUITY-SEQUENCE (§4.4.3.3): discontinuities before `segments[0]`, so the
   * discontinuity sequence number of every segment stays the same from playlist to playlist.
   */
  readonly discontinuitySequence: number;
  /** Complete segments in the window, oldest first. */
  readonly segments: readonly PlaylistSegment[];
  /** The segment in progress: its msn and the parts published so far (maybe none). */
  readonly open: Omit<PlaylistSegment, "uri" | "duration">;
  readonly ended: boolean;
  /** The part the next `addPart` will publish (EXT-X-PRELOAD-HINT); none once ended. */
  readonly nextPart?: NextPart;
}

export interface NextPart {
  readonly msn: number;
  readonly index: number;
  readonly uri: string;
}

export interface LivePlaylistOptions {
  /** Seconds a segment aims at; 2 by default. TARGETDURATION is this rounded up. */
  readonly segmentTarget?: number;
  /** PART-TARGET in seconds (§4.4.3.7); 0.5 by default. */
  readonly partTarget?: number;
  /** Complete segments kept; 6 by default, Infinity for a recording kept whole. */
  readonly windowSegments?: number;
  /** PART-HOLD-BACK: at least 2 part targets (MUST), 3 by default (SHOULD, §4.4.3.8). */
  readonly partHoldBack?: number;
  /** The msn of the first segment; 0 by default. */
  readonly firstMediaSequence?: number;
  /**
   * A stream that resumes another (a restart, a takeover): the discontinuity sequence number
   * the resumed stream had reached, and its first segment starts with EXT-X-DISCONTINUITY.
   */
  readonly resumesAfterDiscontinuity?: number;
  readonly mapUri?: string;
  readonly segmentUri?: (msn: number) => string;
  readonly partUri?: (msn: number, index: number) => string;
}

export interface NewPart {
  /** Seconds, at most the part target (§4.4.4.9 MUST). */
  readonly duration: number;
  readonly independent: boolean;
  /** Wall-clock time of the part's first sample, epoch milliseconds. */
  readonly startedAt?: number;
}

export interface AddPartResult {
  readonly part: PlaylistPart;
  /** The segment this part completed, if it did. */
  readonly closed?: PlaylistSegment;
  /**
   * Segments that left the window. Their bytes (segment and parts) must stay downloadable a
   * while longer: §6.2.2 wants a removed segment served until its first appearance plus its
   * Availability Duration, and a part 3 target durations past the removal of its EXT-X-PART
   * tag (which happens long before, see PART_LISTING_TARGET_DURATIONS).
   */
  readonly removed: readonly PlaylistSegment[];
}
