import { DistinctSet } from "./distinct-set.ts";

export interface ListenerCounterSettings {
  /** A listener counts while its last heartbeat is at most this old (~2.5 heartbeats). */
  windowMs: number;
  /** Width of one time bucket; the window is a whole number of them. */
  bucketMs: number;
  /** Exact counting up to this many distinct tickets, HyperLogLog above. */
  exactLimit: number;
  /** The window's union is recomputed at most this often; tickets issued since are added. */
  refreshMs: number;
}

export interface AudienceFigures {
  /** Distinct tickets seen in the sliding window now. */
  current: number;
  /** Highest `current` seen so far. */
  peak: number;
  /** Distinct tickets seen since the Space opened. */
  unique: number;
}

/**
 * The live listener count of one Space: distinct ticket ids seen in a sliding window of time
 * buckets (a heartbeat lands in the bucket of its time; the window is the last few buckets),
 * plus the peak and the all-time distinct total. Pure: the caller passes the clock.
 */
export class ListenerCounter {
  private readonly buckets = new Map<number, DistinctSet>();
  private readonly everyone: DistinctSet;
  private peak = 0;
  private cached: { at: number; current: number } | null = null;
  private issuedSinceRefresh = 0;

  constructor(private readonly settings: ListenerCounterSettings) {
    this.everyone = new DistinctSet(settings.exactLimit);
  }

  /** A heartbeat from a ticket. */
  seen(ticketId: string, nowMs: number): void {
    const bucket = Math.floor(nowMs / this.settings.bucketMs);
    let set = this.buckets.get(bucket);
    if (!set) {
      set = new DistinctSet(this.settings.exactLimit);
      this.buckets.set(bucket, set);
      this.expire(bucket);
    }
    set.add(ticketId);
    this.everyone.add(ticketId);
  }

  /** A ticket just issued: it counts at once, before its first heartbeat. */
  issued(ticketId: string, nowMs: number): void {
    this.seen(ticketId, nowMs);
    this.issuedSinceRefresh++;
  }

  /**
   * Listeners now. Between refreshes it is the last union plus the tickets issued since: an
   * upper bound that the admission ceiling can trust without a union per request.
   */
  current(nowMs: number): number {
    const cache = this.cached;
    if (cache && nowMs - cache.at < this.settings.refreshMs && nowMs >= cache.at) {
      return cache.current + this.issuedSinceRefresh;
    }
    const bucket = Math.floor(nowMs / this.settings.bucketMs);
    this.expire(bucket);
    const current = DistinctSet.unionCount([...this.windowSets(bucket)], this.settings.exactLimit);
    this.cached = { at: nowMs, current };
    this.issuedSinceRefresh = 0;
    if (current > this.peak) this.peak = current;
    return current;
  }

  figures(nowMs: number): AudienceFigures {
    const current = this.current(nowMs);
    return { current, peak: Math.max(this.peak, current), unique: this.everyone.count() };
  }

  private *windowSets(bucket: number): Generator<DistinctSet> {
    const span = Math.ceil(this.settings.windowMs / this.settings.bucketMs);
    for (const [b, set] of this.buckets) if (b > bucket - span && b <= bucket) yield set;
  }

  private expire(bucket: number): void {
    const span = Math.ceil(this.settings.windowMs / this.settings.bucketMs);
    for (const b of this.buckets.keys()) if (b <= bucket - span) this.buckets.delete(b);
  }
}
