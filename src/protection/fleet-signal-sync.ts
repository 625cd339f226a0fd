import type { FleetSignals } from "../shared-state/ports.ts";
import type { AttackDetector } from "./attack-detector.ts";

/**
 * Makes attack mode a fleet decision: once per detector bucket, this node adds its counts of
 * the bucket just finished to the shared state, reads the fleet's totals over the window back
 * into its detector, and follows the operator's switch. A crowd spread over ten API nodes
 * then looks like what it is, ten times what one node sees. In one process (in-memory shared
 * state) the totals are the node's own: nothing changes.
 */
export class FleetSignalSync {
  private timer: NodeJS.Timeout | null = null;
  private lastPushed: number;

  constructor(
    private readonly detector: AttackDetector,
    private readonly signals: FleetSignals,
    private readonly options: { now?: () => number; onError?: (error: unknown) => void } = {},
  ) {
    this.lastPushed = Math.floor(this.now() / detector.bucketWidthMs) - 1;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  start(): void {
    this.timer = setInterval(() => void this.sync(), this.detector.bucketWidthMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Pushes the finished buckets not pushed yet, then reads the fleet's window and mode. */
  async sync(): Promise<void> {
    try {
      const now = this.now();
      const current = Math.floor(now / this.detector.bucketWidthMs);
      const oldest = current - this.detector.windowBuckets + 1;
      for (let id = Math.max(this.lastPushed + 1, oldest); id < current; id++) {
        const counts = this.detector.bucketCounts(id);
        if (counts.arrivals + counts.admitted + counts.refused > 0) {
          await this.signals.add(id, counts);
        }
        this.lastPushed = id;
      }
      // The finished buckets of the window (the current one is still filling on every node).
      const totals = await this.signals.totals(oldest, current - 1);
      this.detector.setFleetTotals(now, totals);
      const mode = await this.signals.operatorMode();
      if (mode !== null && mode !== this.detector.mode) this.detector.mode = mode;
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
