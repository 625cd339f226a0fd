/**
 * A per-speaker jitter buffer for 20 ms RTP audio frames. Pure: time only enters as the
 * `arrivalMs` of pushed packets and as the caller's once-per-tick `pop()`.
 *
 * Lifecycle:
 * - `idle`: nothing known; pop gives "empty".
 * - `priming`: packets are arriving; pop waits `targetFrames` ticks (or until more than that many
 *   frames are buffered) so reordered and late packets can catch up, then starts at the earliest.
 * - `playing`: pop gives the next sequence number if present, "lost" if it is missing but a
 *   later one is buffered (the decoder conceals), and drops to `underflow` when nothing is left.
 * - `underflow`: the speaker paused (DTX, mute, network stall); pop gives "lost" for
 *   `maxConcealFrames` ticks, then "empty". The next packet primes again, which restores the
 *   target delay after a stall or a talk spurt boundary.
 *
 * Packets already played or older are dropped as late, duplicates are dropped, and a packet far
 * outside the window (a sender restart) is held on probation: a second one close to it resyncs.
 * The target delay adapts to the measured transit spread within [minDelayFrames,
 * maxDelayFrames]; a buffer staying above twice the target for `shrinkAfterTicks` ticks sheds
 * frames (one per `shrinkEveryTicks`) to win the latency back.
 */
import { TransitSpread } from "./jitter-stats.ts";
import { seqAdd, seqDiff } from "./seq.ts";

export interface RtpAudioPacket {
  /** RTP sequence number, 0–65535. */
  readonly seq: number;
  /** RTP timestamp, in clock-rate units (48 kHz for Opus). */
  readonly timestamp: number;
  readonly payload: Uint8Array;
}

export type JitterResult =
  | {
      readonly kind: "packet";
      readonly seq: number;
      readonly timestamp: number;
      readonly payload: Uint8Array;
    }
  | { readonly kind: "lost" }
  | { readonly kind: "empty" };

export type PushOutcome = "accepted" | "duplicate" | "late" | "probation" | "resync";

export interface JitterBufferOptions {
  /** Duration of one packet and one tick. */
  readonly frameMs?: number;
  /** RTP clock rate. */
  readonly clockRate?: number;
  /** Lower bound of the adaptive target delay, in frames. */
  readonly minDelayFrames?: number;
  /** Upper bound of the adaptive target delay, in frames. */
  readonly maxDelayFrames?: number;
  /** "lost" results given on underflow before falling back to "empty". */
  readonly maxConcealFrames?: number;
  /** How far ahead of the play position a packet is accepted; beyond is a jump. */
  readonly capacityFrames?: number;
  /** How far behind the play position a packet counts as late; beyond is a jump. */
  readonly maxLateFrames?: number;
  /** Packets over which the transit spread is measured. */
  readonly jitterWindow?: number;
  /** Ticks above twice the target before one frame is dropped. */
  readonly shrinkAfterTicks?: number;
  /** While still above twice the target, one more frame is dropped every this many ticks. */
  readonly shrinkEveryTicks?: number;
}

export interface JitterBufferStats {
  accepted: number;
  duplicates: number;
  late: number;
  lost: number;
  concealed: number;
  dropped: number;
  resyncs: number;
}

type Phase = "idle" | "priming" | "playing" | "underflow";

const EMPTY: JitterResult = { kind: "empty" };
const LOST: JitterResult = { kind: "lost" };

export class JitterBuffer {
  readonly #frameMs: number;
  readonly #minDelay: number;
  readonly #maxDelay: number;
  readonly #maxConceal: number;
  readonly #capacity: number;
  readonly #maxLate: number;
  readonly #shrinkAfter: number;
  readonly #shrinkEvery: number;
  readonly #transit: TransitSpread;
  readonly #buffer = new Map<number, RtpAudioPacket>();
  readonly stats: JitterBufferStats = {
    accepted: 0,
    duplicates: 0,
    late: 0,
    lost: 0,
    concealed: 0,
    dropped: 0,
    resyncs: 0,
  };

  #phase: Phase = "idle";
  /** Sequence number to play next; meaningful unless idle. */
  #next = 0;
  /** Whether a packet was played since the last (re)sync: earlier ones are then late. */
  #played = false;
  #primeLeft = 0;
  #missed = 0;
  #highTicks = 0;
  #target: number;
  #probation: { readonly packet: RtpAudioPacket; readonly arrivalMs: number } | undefined;

  constructor(options: JitterBufferOptions = {}) {
    this.#frameMs = options.frameMs ?? 20;
    this.#minDelay = Math.max(1, options.minDelayFrames ?? 2);
    this.#maxDelay = Math.max(this.#minDelay, options.maxDelayFrames ?? 8);
    this.#maxConceal = options.maxConcealFrames ?? 5;
    this.#capacity = options.capacityFrames ?? 50;
    this.#maxLate = options.maxLateFrames ?? 500;
    this.#shrinkAfter = options.shrinkAfterTicks ?? 50;
    this.#shrinkEvery = Math.max(1, Math.min(this.#shrinkAfter, options.shrinkEveryTicks ?? 10));
    this.#transit = new TransitSpread(options.jitterWindow ?? 50, options.clockRate ?? 48_000);
    this.#target = this.#minDelay;
  }

  /** Current adaptive target delay, in frames. */
  get targetFrames(): number {
    return this.#target;
  }

  /** Packets waiting to be played. */
  get size(): number {
    return this.#buffer.size;
  }

  /** Files one received packet. */
  push(packet: RtpAudioPacket, arrivalMs: number): PushOutcome {
    const seq = packet.seq & 0xffff;
    const entry = seq === packet.seq ? packet : { ...packet, seq };
    if (this.#phase === "idle") {
      this.#start(entry, arrivalMs);
      return "accepted";
    }
    const d = seqDiff(seq, this.#next);
    if (d >= 0 && d < this.#capacity) {
      if (this.#buffer.has(seq)) {
        this.stats.duplicates++;
        return "duplicate";
      }
      this.#store(entry, arrivalMs);
      if (this.#phase === "underflow") this.#prime();
      return "accepted";
    }
    if (d < 0 && !this.#played && d > -this.#capacity) {
      // Still priming from scratch: an earlier packet moves the start back.
      this.#next = seq;
      for (const s of this.#buffer.keys()) {
        if (seqDiff(s, seq) >= this.#capacity) this.#buffer.delete(s);
      }
      this.#store(entry, arrivalMs);
      return "accepted";
    }
    if (d < 0 && d >= -this.#maxLate) {
      this.stats.late++;
      return "late";
    }
    return this.#jump(entry, arrivalMs);
  }

  /** Called once per tick: the frame to play now. */
  pop(): JitterResult {
    if (this.#phase === "idle") return EMPTY;
    if (this.#phase === "underflow") return this.#concealOrEmpty();
    if (this.#phase === "priming") {
      if (this.#primeLeft > 0 && this.#buffer.size <= this.#target) {
        this.#primeLeft--;
        return this.#concealOrEmpty();
      }
      this.#next = this.#earliest();
      this.#phase = "playing";
      this.#highTicks = 0;
    }
    const packet = this.#buffer.get(this.#next);
    if (packet) {
      this.#buffer.delete(this.#next);
      this.#next = seqAdd(this.#next, 1);
      this.#played = true;
      this.#missed = 0;
      this.#shrinkIfBloated();
      return {
        kind: "packet",
        seq: packet.seq,
        timestamp: packet.timestamp,
        payload: packet.payload,
      };
    }
    if (this.#buffer.size > 0) {
      this.#next = seqAdd(this.#next, 1);
      this.stats.lost++;
      return LOST;
    }
    this.#phase = "underflow";
    return this.#concealOrEmpty();
  }

  /** Forgets everything, as if newly created. */
  reset(): void {
    this.#buffer.clear();
    this.#transit.reset();
    this.#phase = "idle";
    this.#played = false;
    this.#missed = 0;
    this.#probation = undefined;
    this.#target = this.#minDelay;
  }

  #start(packet: RtpAudioPacket, arrivalMs: number): void {
    this.#next = packet.seq;
    this.#played = false;
    this.#missed = this.#maxConceal;
    this.#store(packet, arrivalMs);
    this.#prime();
  }

  #prime(): void {
    this.#phase = "priming";
    this.#primeLeft = this.#target;
  }

  #store(packet: RtpAudioPacket, arrivalMs: number): void {
    this.#buffer.set(packet.seq, packet);
    this.#probation = undefined;
    this.stats.accepted++;
    this.#transit.add(packet.timestamp, arrivalMs);
    const frames = Math.ceil(this.#transit.spreadMs() / this.#frameMs) + 1;
    this.#target = Math.min(this.#maxDelay, Math.max(this.#minDelay, frames));
  }

  /** A packet far outside the window: resync once a second one lands close to it. */
  #jump(packet: RtpAudioPacket, arrivalMs: number): PushOutcome {
    const first = this.#probation;
    const gap = first === undefined ? 0 : Math.abs(seqDiff(packet.seq, first.packet.seq));
    if (first === undefined || gap === 0 || gap > 4) {
      this.#probation = { packet, arrivalMs };
      return "probation";
    }
    this.reset();
    this.stats.resyncs++;
    this.#start(first.packet, first.arrivalMs);
    this.push(packet, arrivalMs);
    return "resync";
  }

  #concealOrEmpty(): JitterResult {
    if (this.#missed >= this.#maxConceal) return EMPTY;
    this.#missed++;
    this.stats.concealed++;
    return LOST;
  }

  /** Earliest buffered sequence number, relative to the play position. */
  #earliest(): number {
    let best = this.#next;
    let bestDiff = Number.POSITIVE_INFINITY;
    for (const s of this.#buffer.keys()) {
      const d = seqDiff(s, this.#next);
      if (d < bestDiff) {
        best = s;
        bestDiff = d;
      }
    }
    return best;
  }

  /**
   * Once the buffer has held more than twice the target for `shrinkAfterTicks`, drops one frame,
   * then one more every `shrinkEveryTicks` while it stays that full.
   */
  #shrinkIfBloated(): void {
    this.#highTicks = this.#buffer.size > 2 * this.#target ? this.#highTicks + 1 : 0;
    if (this.#highTicks < this.#shrinkAfter) return;
    this.#highTicks = this.#shrinkAfter - this.#shrinkEvery;
    if (this.#buffer.delete(this.#next)) this.stats.dropped++;
    this.#next = seqAdd(this.#next, 1);
  }
}
