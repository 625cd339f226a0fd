/** The fixed set of reactions, as on X Spaces. */
export const reactionEmojis = ["💯", "👏", "😂", "❤️", "🙌", "😮", "😢", "🔥"] as const;

export type ReactionEmoji = (typeof reactionEmojis)[number];

export function isReactionEmoji(value: string): value is ReactionEmoji {
  return (reactionEmojis as readonly string[]).includes(value);
}

/** One reaction to float on screens, with its sender's handle (null: a listener's ticket). */
export interface ReactionSample {
  emoji: ReactionEmoji;
  handle: string | null;
}

/** Reactions gathered over one flush window: counts per emoji and a few senders to show. */
export interface ReactionBatch {
  spaceId: string;
  counts: Partial<Record<ReactionEmoji, number>>;
  /** Up to `maxSamples` individual reactions so clients can float them with a name. */
  samples: ReactionSample[];
  total: number;
}

/**
 * Folds reactions per Space so fan-out costs one message per window whatever the rate,
 * and keeps per-second totals for the live document. Pure: the caller owns the clock.
 */
export class ReactionAggregator {
  private pending = new Map<string, ReactionBatch>();
  private perSecond = new Map<string, { second: number; total: number; last: number }>();

  constructor(private readonly maxSamples = 20) {}

  /** `handle` is null for a reaction sent with a listener ticket (nobody logged in). */
  add(spaceId: string, emoji: ReactionEmoji, handle: string | null, nowMs: number): void {
    let batch = this.pending.get(spaceId);
    if (!batch) {
      batch = { spaceId, counts: {}, samples: [], total: 0 };
      this.pending.set(spaceId, batch);
    }
    batch.counts[emoji] = (batch.counts[emoji] ?? 0) + 1;
    batch.total++;
    if (batch.samples.length < this.maxSamples) batch.samples.push({ emoji, handle });

    const second = Math.floor(nowMs / 1000);
    const rate = this.perSecond.get(spaceId);
    if (!rate || rate.second !== second) {
      const last = rate && rate.second === second - 1 ? rate.total : 0;
      this.perSecond.set(spaceId, { second, total: 1, last });
    } else {
      rate.total++;
    }
  }

  /** Takes every batch gathered since the last drain. */
  drain(): ReactionBatch[] {
    const out = [...this.pending.values()];
    this.pending.clear();
    return out;
  }

  /** Reactions in the last complete second. */
  lastSecond(spaceId: string, nowMs: number): number {
    const rate = this.perSecond.get(spaceId);
    if (!rate) return 0;
    const second = Math.floor(nowMs / 1000);
    if (rate.second === second) return rate.last;
    if (rate.second === second - 1) return rate.total;
    return 0;
  }

  forget(spaceId: string): void {
    this.pending.delete(spaceId);
    this.perSecond.delete(spaceId);
  }
}
