/** How a stream attached to an <audio> element is doing. */
export type StreamPhase = "loading" | "ready" | "reconnecting" | "failed";

export interface AttachOptions {
  /** Live LL-HLS (latency, catch-up) rather than a recording. */
  lowLatency: boolean;
  /** Start playing as soon as there is something to play. */
  autoPlay: boolean;
  onPhase: (phase: StreamPhase, message?: string) => void;
  /** The browser refused to play without a click. */
  onBlocked: () => void;
  /**
   * A live-state cue the stream carries (an ID3 TXXX "amphi" frame in an `emsg`), with the
   * media time it belongs to, on the element's timeline (src/media/live-state/live-cue.ts).
   */
  onLiveCue?: (time: number, text: string) => void;
  /**
   * The address each request of the stream goes to: a live stream's URLs are signed per time
   * window, and the heartbeats hand out the next window's prefix before the one playing
   * expires (src/admission/hls-url-prefix.ts). Unchanged when absent.
   */
  rewriteUrl?: (url: string) => string;
}

/** A stream playing through an element: how far behind live it is, and how to let go. */
export interface Attachment {
  /** Seconds behind the live edge; null when unknown or not live. */
  latency: () => number | null;
  destroy: () => void;
}
