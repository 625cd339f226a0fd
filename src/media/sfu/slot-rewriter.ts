/**
 * Rewrites the RTP headers of the packets forwarded into one slot (one outgoing stream of a
 * listener session) so the stream stays continuous whoever occupies the slot: a fixed SSRC, and
 * sequence numbers and timestamps that go on from where the previous occupant stopped. The
 * receiver's jitter buffer and Opus decoder then see one stream with a pause, not a new source.
 *
 * Within one occupancy ("epoch") the mapping is a constant offset, so the sender's reordering,
 * loss and DTX gaps pass through unchanged. A new epoch starts when the source changes (another
 * speaker, a new SSRC, a jump of the sequence number beyond `maxSeqJump`) or after release().
 * Pure: the caller passes arrival times.
 */

export interface SlotRtpIn {
  /** Who sent it (the speaker id). */
  sourceId: string;
  ssrc: number;
  seq: number;
  timestamp: number;
  marker: boolean;
  /** Arrival time in ms, to advance the timestamp over a gap between occupants. */
  arrivalMs: number;
}

export interface SlotRtpOut {
  ssrc: number;
  seq: number;
  timestamp: number;
  marker: boolean;
}

export interface SlotRewriterOptions {
  /** The slot's SSRC (the sending transceiver's). */
  ssrc: number;
  /** First sequence number sent. Default 0. */
  initialSeq?: number;
  /** First timestamp sent. Default 0. */
  initialTimestamp?: number;
  /** RTP clock rate. Default 48000 (Opus). */
  clockRate?: number;
  /** Smallest timestamp step between epochs: one 20 ms Opus frame (960) by default. */
  minTimestampStep?: number;
  /** A sequence jump larger than this within a source starts a new epoch. Default 1000. */
  maxSeqJump?: number;
}

/** a - b on the 16-bit sequence-number circle, in -32768..32767. */
export function seqDelta(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

const seq16 = (n: number): number => n & 0xffff;
const ts32 = (n: number): number => n >>> 0;

interface Epoch {
  sourceId: string;
  ssrc: number;
  seqOffset: number;
  timestampOffset: number;
  firstSeq: number;
  highestSeq: number;
}

export class SlotRewriter {
  readonly ssrc: number;
  readonly #clockRate: number;
  readonly #minStep: number;
  readonly #maxSeqJump: number;
  #epoch: Epoch | undefined;
  #lastSeq: number;
  #lastTimestamp: number;
  #lastArrival: number | undefined;
  #sent = false;

  constructor(options: SlotRewriterOptions) {
    this.ssrc = ts32(options.ssrc);
    this.#clockRate = options.clockRate ?? 48000;
    this.#minStep = options.minTimestampStep ?? 960;
    this.#maxSeqJump = options.maxSeqJump ?? 1000;
    this.#lastSeq = seq16(options.initialSeq ?? 0);
    this.#lastTimestamp = ts32(options.initialTimestamp ?? 0);
  }

  /** The current occupant, if an epoch is running. */
  get sourceId(): string | undefined {
    return this.#epoch?.sourceId;
  }

  /** The last sequence number and timestamp sent (the initial ones before any packet). */
  get last(): { seq: number; timestamp: number } {
    return { seq: this.#lastSeq, timestamp: this.#lastTimestamp };
  }

  /** The occupant left: the next packet, from whoever, starts a new epoch. */
  release(): void {
    this.#epoch = undefined;
  }

  /** The header to send for this packet, or undefined to drop it (duplicate, from before the epoch). */
  rewrite(packet: SlotRtpIn): SlotRtpOut | undefined {
    let epoch = this.#epoch;
    if (
      !epoch ||
      epoch.sourceId !== packet.sourceId ||
      epoch.ssrc !== packet.ssrc ||
      Math.abs(seqDelta(packet.seq, epoch.highestSeq)) > this.#maxSeqJump
    ) {
      epoch = this.#startEpoch(packet);
      return this.#emit(epoch, packet, true);
    }
    const ahead = seqDelta(packet.seq, epoch.highestSeq);
    if (ahead === 0) return undefined;
    if (seqDelta(packet.seq, epoch.firstSeq) < 0) return undefined;
    if (ahead > 0) epoch.highestSeq = packet.seq;
    return this.#emit(epoch, packet, packet.marker);
  }

  #startEpoch(packet: SlotRtpIn): Epoch {
    let seq = this.#lastSeq;
    let timestamp = this.#lastTimestamp;
    if (this.#sent) {
      seq = seq16(seq + 1);
      const elapsed = Math.max(0, packet.arrivalMs - (this.#lastArrival ?? packet.arrivalMs));
      const step = Math.max(this.#minStep, Math.round((elapsed * this.#clockRate) / 1000));
      timestamp = ts32(timestamp + step);
    }
    const epoch: Epoch = {
      sourceId: packet.sourceId,
      ssrc: packet.ssrc,
      seqOffset: seq16(seq - packet.seq),
      timestampOffset: ts32(timestamp - packet.timestamp),
      firstSeq: packet.seq,
      highestSeq: packet.seq,
    };
    this.#epoch = epoch;
    return epoch;
  }

  #emit(epoch: Epoch, packet: SlotRtpIn, marker: boolean): SlotRtpOut {
    const out: SlotRtpOut = {
      ssrc: this.ssrc,
      seq: seq16(packet.seq + epoch.seqOffset),
      timestamp: ts32(packet.timestamp + epoch.timestampOffset),
      marker,
    };
    if (!this.#sent || seqDelta(out.seq, this.#lastSeq) > 0) {
      this.#lastSeq = out.seq;
      this.#lastTimestamp = out.timestamp;
      this.#lastArrival = packet.arrivalMs;
    }
    this.#sent = true;
    return out;
  }
}
