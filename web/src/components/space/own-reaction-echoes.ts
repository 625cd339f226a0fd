import type { ReactionEmoji, ReactionSample } from "../../api/types";

/** How long a press waits for its echo; later, the echo is taken for someone else's. */
const echoWindowMs = 5_000;

/**
 * My own reactions float the moment I press, so their echoes in the batches must not float
 * again. Logged in, an echo carries my handle. Reacting with a ticket, it carries none
 * (`handle: null`, like every other ticket holder's): each press then skips one nameless
 * sample of the same emoji within a few seconds, which looks the same on screen whichever
 * of the identical samples it was.
 */
export class OwnReactionEchoes {
  private pending: { emoji: ReactionEmoji; at: number }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** I pressed `emoji` without a handle (reacting with a ticket). */
  pressed(emoji: ReactionEmoji): void {
    this.pending.push({ emoji, at: this.now() });
  }

  /** The samples of a batch that are not my own echoes. */
  others(samples: readonly ReactionSample[], myHandle: string | null): ReactionSample[] {
    const since = this.now() - echoWindowMs;
    this.pending = this.pending.filter((p) => p.at >= since);
    return samples.filter((sample) => {
      if (sample.handle !== null) return sample.handle !== myHandle;
      const mine = this.pending.findIndex((p) => p.emoji === sample.emoji);
      if (mine === -1) return true;
      this.pending.splice(mine, 1);
      return false;
    });
  }
}
