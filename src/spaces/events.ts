import type { ReactionBatch } from "../domain/spaces/reactions.ts";

/** What happens to Spaces, as the bus carries it. */
export interface SpaceEvents {
  /** The Space's state or stage changed; `accountIds` are the people whose standing changed. */
  spaceChanged: { spaceId: string; accountIds: string[] };
  /** Who is speaking in the mix changed (account ids above the speaking threshold). */
  speaking: { spaceId: string; accountIds: string[] };
  /**
   * A live Space's recording paused (its writes fail: a full disk, the database away; the
   * live audio goes on) or resumed. The media node that owns the Space says it.
   */
  recording: { spaceId: string; state: "on" | "paused"; pausedSince: string | null };
  /** Reactions gathered over one flush window. */
  reactions: ReactionBatch;
  /**
   * A live Space has had nobody on stage connected and no listener since `idleSince` for
   * SPACE_IDLE_END_MINUTES: the media node running it says so, the control plane ends it.
   */
  spaceIdle: { spaceId: string; idleSince: string };
  /** An ended Space's recording is complete (its media room kept its last part). */
  recordingReady: { spaceId: string };
}
