import type { FleetSignals, OperatorAttackMode, SignalCounts } from "../ports.ts";

/** Attack signals of a fleet of one: the sums are this process's own counts. */
export class MemoryFleetSignals implements FleetSignals {
  private readonly buckets = new Map<number, SignalCounts>();
  private mode: OperatorAttackMode | null = null;

  /** Buckets older than this many behind the newest are dropped (fixed memory). */
  constructor(private readonly keepBuckets = 120) {}

  async add(bucketId: number, counts: SignalCounts): Promise<void> {
    const bucket = this.buckets.get(bucketId) ?? { arrivals: 0, admitted: 0, refused: 0 };
    bucket.arrivals += counts.arrivals;
    bucket.admitted += counts.admitted;
    bucket.refused += counts.refused;
    this.buckets.set(bucketId, bucket);
    for (const id of this.buckets.keys())
      if (id < bucketId - this.keepBuckets) this.buckets.delete(id);
  }

  async totals(fromBucket: number, toBucket: number): Promise<SignalCounts> {
    const sum = { arrivals: 0, admitted: 0, refused: 0 };
    for (const [id, counts] of this.buckets) {
      if (id < fromBucket || id > toBucket) continue;
      sum.arrivals += counts.arrivals;
      sum.admitted += counts.admitted;
      sum.refused += counts.refused;
    }
    return sum;
  }

  async operatorMode(): Promise<OperatorAttackMode | null> {
    return this.mode;
  }

  async setOperatorMode(mode: OperatorAttackMode): Promise<void> {
    this.mode = mode;
  }
}
