/** Something that says how late the event loop runs, in ms. */
export interface LagSource {
  lagMs(): number;
}

export interface EventLoopLagOptions {
  /** How often the loop is sampled. Default 20 ms: a stall shows within ~one interval. */
  intervalMs?: number;
  /** How fast a past stall is forgotten. Default 150 ms. */
  halfLifeMs?: number;
}

/**
 * Event-loop lag from timer drift: a timer asks to run every `intervalMs`; how late it runs is
 * how long everything else waited. A chained setTimeout (not monitorEventLoopDelay's
 * histogram) because we want the latest stall within one interval, not a distribution read
 * later. The reading is the larger of
 * - the last stall, decaying with `halfLifeMs`, so requests that queued up behind a stall are
 *   still seen as late right after it, and the reading drops back within a few hundred ms;
 * - how overdue the next sample is right now, so a request handled while the timer has not
 *   run yet (the loop is still catching up) sees the stall too.
 * The timer is unref'd: it never keeps the process alive.
 */
export class EventLoopLagMonitor implements LagSource {
  private readonly intervalMs: number;
  private readonly halfLifeMs: number;
  private timer: NodeJS.Timeout | null = null;
  private lastSampleAt = 0;
  private lastLagMs = 0;

  constructor(options: EventLoopLagOptions = {}) {
    this.intervalMs = options.intervalMs ?? 20;
    this.halfLifeMs = options.halfLifeMs ?? 150;
  }

  start(): void {
    if (this.timer) return;
    this.lastSampleAt = performance.now();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastLagMs = 0;
  }

  lagMs(): number {
    if (!this.timer) return 0;
    const now = performance.now();
    const decayed = this.lastLagMs * 0.5 ** ((now - this.lastSampleAt) / this.halfLifeMs);
    const overdue = now - this.lastSampleAt - this.intervalMs;
    return Math.max(decayed, overdue, 0);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      const now = performance.now();
      const drift = Math.max(0, now - this.lastSampleAt - this.intervalMs);
      const decayed = this.lastLagMs * 0.5 ** ((now - this.lastSampleAt) / this.halfLifeMs);
      this.lastLagMs = Math.max(drift, decayed);
      this.lastSampleAt = now;
      this.schedule();
    }, this.intervalMs);
    this.timer.unref();
  }
}
