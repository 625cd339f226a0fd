/**
 * Decides when Amphi is under attack, from what the ticket route sees. Pure: no clock, no
 * timers; every call takes `now` (ms, from a clock that does not go backwards).
 *
 * Attack mode switches on when either
 * - arrivals (new ticket requests) over the last `windowMs` exceed `arrivalsMultiple` times
 *   what admission lets in (`admitRatePerSecond`): people arrive far faster than they can
 *   be seated, so making each arrival pay a proof of work costs little and slows bots; or
 * - at least `minSamples` outcomes in the window, and the share of them refused or failed is
 *   `refusalRatio` or more: the gate is mostly answering junk, or the join path is failing.
 * It stays on until the condition has been clear for `coolDownMs` (hysteresis), so it does
 * not flap while an attack pauses. "Clear" is measured from the last time the condition was
 * seen: every record and every state() call looks, and the guard asks on every request. Operators can force it "on" or "off"; "auto" follows
 * the evidence.
 */
export type AttackMode = "auto" | "on" | "off";

export type AttackOutcome = "admitted" | "refused" | "failed";

export type AttackReason =
  | "forced-on"
  | "forced-off"
  | "arrivals"
  | "refusals"
  | "cool-down"
  | "calm";

export interface AttackState {
  mode: AttackMode;
  active: boolean;
  reason: AttackReason;
  arrivalsPerSecond: number;
  /** Refused and failed outcomes per second. */
  refusalsPerSecond: number;
  /** Refused and failed outcomes over all outcomes in the window (0 without outcomes). */
  refusalRatio: number;
  /** Outcomes in the window. */
  samples: number;
}

export interface AttackDetectorOptions {
  /** How many people admission lets in per second (ADMIT_RATE_PER_SECOND). */
  admitRatePerSecond: number;
  /** Arrivals above this multiple of the admit rate mean attack. Default 10. */
  arrivalsMultiple?: number;
  /** The window rates are measured over. Default 10 s. */
  windowMs?: number;
  /** Resolution of the window (buckets kept). Default 10 (1 s buckets for 10 s). */
  buckets?: number;
  /** Share of refused/failed outcomes that means attack. Default 0.5. */
  refusalRatio?: number;
  /** Outcomes needed in the window before the ratio counts. Default 200 (20/s over 10 s). */
  minSamples?: number;
  /** How long attack mode stays on after the condition clears. Default 60 s. */
  coolDownMs?: number;
  mode?: AttackMode;
}

interface Bucket {
  /** Absolute bucket number (time / bucketMs) this slot holds; -1 when empty. */
  id: number;
  arrivals: number;
  admitted: number;
  refused: number;
}

export class AttackDetector {
  mode: AttackMode;
  private readonly admitRatePerSecond: number;
  private readonly arrivalsMultiple: number;
  private readonly windowMs: number;
  private readonly bucketMs: number;
  private readonly refusalRatio: number;
  private readonly minSamples: number;
  private readonly coolDownMs: number;
  /** A ring of counters: fixed memory whatever the traffic. */
  private readonly ring: Bucket[];
  private lastTriggeredAt: number | null = null;
  /** The fleet's totals over the window, as last read from the shared state. */
  private fleet: { at: number; arrivals: number; admitted: number; refused: number } | null = null;

  constructor(options: AttackDetectorOptions) {
    if (!(options.admitRatePerSecond > 0)) throw new Error("admitRatePerSecond must be > 0");
    this.admitRatePerSecond = options.admitRatePerSecond;
    this.arrivalsMultiple = options.arrivalsMultiple ?? 10;
    this.windowMs = options.windowMs ?? 10_000;
    const buckets = Math.max(1, Math.floor(options.buckets ?? 10));
    this.bucketMs = this.windowMs / buckets;
    this.refusalRatio = options.refusalRatio ?? 0.5;
    this.minSamples = options.minSamples ?? 200;
    this.coolDownMs = options.coolDownMs ?? 60_000;
    this.mode = options.mode ?? "auto";
    this.ring = Array.from({ length: buckets }, () => ({
      id: -1,
      arrivals: 0,
      admitted: 0,
      refused: 0,
    }));
  }

  /** A new ticket request (not a queued client polling, not the answer to a challenge). */
  recordArrival(now: number): void {
    const bucket = this.bucketAt(now);
    if (bucket) bucket.arrivals += 1;
    this.observe(now);
  }

  recordOutcome(now: number, outcome: AttackOutcome): void {
    const bucket = this.bucketAt(now);
    if (bucket) {
      if (outcome === "admitted") bucket.admitted += 1;
      else bucket.refused += 1;
    }
    this.observe(now);
  }

  state(now: number): AttackState {
    const totals = this.totals(now);
    const trigger = this.trigger(totals);
    if (trigger) this.lastTriggeredAt = Math.max(this.lastTriggeredAt ?? now, now);
    const seconds = this.windowMs / 1000;
    const samples = totals.admitted + totals.refused;
    const reason: AttackReason =
      this.mode === "on"
        ? "forced-on"
        : this.mode === "off"
          ? "forced-off"
          : (trigger ??
            (this.lastTriggeredAt !== null && now - this.lastTriggeredAt < this.coolDownMs
              ? "cool-down"
              : "calm"));
    // One object literal, no `{ ...base, active, reason }`: the guard asks on every ticket
    // request, and on Node 20 that spread-then-add measured 3-11 µs a call against ~0.1 µs
    // for the literal (docs/decisions.md, "Ticket path: what one join costs").
    return {
      mode: this.mode,
      active: reason !== "forced-off" && reason !== "calm",
      reason,
      arrivalsPerSecond: totals.arrivals / seconds,
      refusalsPerSecond: totals.refused / seconds,
      refusalRatio: samples === 0 ? 0 : totals.refused / samples,
      samples,
    };
  }

  /**
   * The whole fleet's counts over the window ending at `now` (every node's buckets summed):
   * what this node decides on for the next few seconds when they exceed its own.
   */
  setFleetTotals(now: number, totals: { arrivals: number; admitted: number; refused: number }) {
    this.fleet = { at: now, ...totals };
    this.observe(now);
  }

  /** This node's own counts in bucket `id` (absolute: time / bucket width); zeros if gone. */
  bucketCounts(id: number): { arrivals: number; admitted: number; refused: number } {
    const slot = this.ring[((id % this.ring.length) + this.ring.length) % this.ring.length];
    if (!slot || slot.id !== id) return { arrivals: 0, admitted: 0, refused: 0 };
    return { arrivals: slot.arrivals, admitted: slot.admitted, refused: slot.refused };
  }

  /** Width of one bucket, ms. */
  get bucketWidthMs(): number {
    return this.bucketMs;
  }

  /** Buckets in the window. */
  get windowBuckets(): number {
    return this.ring.length;
  }

  /** Notes the moment a condition holds, whatever the mode, so "auto" resumes informed. */
  private observe(now: number): void {
    if (this.trigger(this.totals(now))) {
      this.lastTriggeredAt = Math.max(this.lastTriggeredAt ?? now, now);
    }
  }

  private trigger(totals: {
    arrivals: number;
    admitted: number;
    refused: number;
  }): "arrivals" | "refusals" | null {
    const admitted = this.admitRatePerSecond * (this.windowMs / 1000);
    if (totals.arrivals > this.arrivalsMultiple * admitted) return "arrivals";
    const samples = totals.admitted + totals.refused;
    if (samples >= this.minSamples && totals.refused >= this.refusalRatio * samples) {
      return "refusals";
    }
    return null;
  }

  /** Sums the buckets of the window ending at `now`. */
  private totals(now: number) {
    const current = Math.floor(now / this.bucketMs);
    let arrivals = 0;
    let admitted = 0;
    let refused = 0;
    for (const bucket of this.ring) {
      if (bucket.id > current - this.ring.length && bucket.id <= current) {
        arrivals += bucket.arrivals;
        admitted += bucket.admitted;
        refused += bucket.refused;
      }
    }
    const fleet = this.fleet;
    // Fleet figures go stale fast: after three buckets without a fresh read, only ours count.
    if (fleet && now - fleet.at <= 3 * this.bucketMs && now >= fleet.at) {
      return {
        arrivals: Math.max(arrivals, fleet.arrivals),
        admitted: Math.max(admitted, fleet.admitted),
        refused: Math.max(refused, fleet.refused),
      };
    }
    return { arrivals, admitted, refused };
  }

  /** The bucket for `now`, recycling the slot if it held an older bucket; null if too old. */
  private bucketAt(now: number): Bucket | null {
    const id = Math.floor(now / this.bucketMs);
    const slot = this.ring[((id % this.ring.length) + this.ring.length) % this.ring.length];
    if (!slot) return null;
    if (slot.id === id) return slot;
    if (slot.id > id) return null;
    slot.id = id;
    slot.arrivals = 0;
    slot.admitted = 0;
    slot.refused = 0;
    return slot;
  }
}
