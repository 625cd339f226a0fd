import { LineRanks } from "./line-ranks.ts";
import { TokenBucket } from "./token-bucket.ts";

/** How one Space lets listeners in. Defaults: src/config/config.ts, sizing: docs/operations.md. */
export interface GateSettings {
  /** New listeners let in per second (the token bucket's rate). */
  admitRatePerSecond: number;
  /** Tokens saved up while nobody arrives: how large a burst passes without queueing. */
  burst: number;
  /** Ceiling of active listeners; arrivals past it wait for someone to leave. */
  maxListeners: number;
  /**
   * A waiting client (pre-queue, line or passed over) that has not asked again for this long
   * has left: its place lapses at once, wherever it stands, and everyone behind moves up.
   */
  abandonAfterMs: number;
  /** A client whose turn came keeps its slot this long, waiting for its next poll. */
  holdReleasedMs: number;
  /** Bounds of the Retry-After a queued client is given, seconds. */
  minRetrySeconds: number;
  maxRetrySeconds: number;
  /** Most clients held in the queue (memory bound); past it clients retry without a place. */
  maxQueueLength: number;
  /**
   * While more newcomers than this arrive per second (this second or the last), none is
   * admitted on its first request: each gets a place and must come back with it once. A
   * crowd that big queues anyway; a bot that never honours Retry-After never gets a ticket.
   */
  confirmAboveArrivalsPerSecond: number;
  /**
   * How long a new place counts in the positions of those behind it without its client
   * coming back: a newcomer is told to return within a second or two, so a place still
   * unconfirmed after this is a request that will not return (a bot spraying arrivals) and
   * stops inflating everyone's position and wait. It counts again if its client returns.
   */
  confirmGraceMs: number;
}

export type GatePhase = "pre-queue" | "queue";

export type GateDecision =
  | { kind: "admit" }
  | {
      kind: "queue";
      /** The place to present next time (in a signed queue token); null when the line is full. */
      entryId: string | null;
      /**
       * 1 = next, counting only places whose clients still ask: those that came back with
       * their token, and new ones for `confirmGraceMs`. In the pre-queue everyone is tied: the
       * number waiting (the order is drawn at go-live).
       */
      position: number;
      /**
       * Seconds until the turn comes, or null when nobody can know: past the scheduled start
       * of a Space its host has not started (or one with no scheduled start).
       */
      estimatedWaitSeconds: number | null;
      retryAfterSeconds: number;
      phase: GatePhase;
    };

interface Entry {
  id: string;
  /** Index in `line` while it waits there (its slot in `ranks`); -1 otherwise. */
  index: number;
  lastSeen: number;
  releasedAt: number | null;
  /** It came back with its queue token at least once: a client that follows the protocol. */
  confirmed: boolean;
  /** Its turn came while it was unconfirmed: it was passed over, and goes first on return. */
  skipped: boolean;
  /** When the place was taken. */
  bornAt: number;
  /** It counts in the positions behind it (its slot in `counted`). */
  counted: boolean;
}

export interface GateArrival {
  /** The entry named by the client's queue token, if it has one. */
  entryId?: string | undefined;
  nowMs: number;
  /** Listeners active now (distinct tickets seen recently, including ones just issued). */
  activeListeners: number;
  /** Before go-live: how long until the scheduled start (for the estimate and Retry-After). */
  untilOpenMs?: number | undefined;
}

const releaseWindowSeconds = 30;

/**
 * The admission gate of one Space: a token bucket at the admit rate, a ceiling of active
 * listeners, and a first-come line behind them. Before go-live arrivals wait in a pre-queue
 * with no order; at go-live it is shuffled into the line, because first-come-first-served
 * before the start only rewards whoever polls fastest, i.e. bots (Queue-it, Cloudflare Waiting
 * Room). Pure: clock, ids and randomness come from the caller.
 *
 * Tokens go to the head of the line first: a client's turn comes ("released") when a token and
 * a free seat exist, and it is admitted at its next poll. A newcomer is admitted at once only
 * when nobody is waiting. Only clients that came back with their queue token at least once
 * ("confirmed") are released: a place taken by a request that never returns (a bot spraying
 * arrivals) is passed over without spending a seat, and goes first if it does return.
 */
export class AdmissionGate {
  private phase: GatePhase;
  private readonly bucket: TokenBucket;
  private readonly entries = new Map<string, Entry>();
  private readonly preQueue = new Set<Entry>();
  /** The line in order; `cursor` is the first entry whose turn has not come. */
  private line: Entry[] = [];
  private cursor = 0;
  /** Which places of `line` still wait (lapsed ones leave gaps until the cursor passes). */
  private readonly ranks = new LineRanks();
  /** Which places of `line` count in positions: confirmed, or new within the grace. */
  private readonly counted = new LineRanks();
  /** Places that count while unconfirmed, by age: each stops counting after the grace. */
  private fresh: Entry[] = [];
  private freshStart = 0;
  /** Every waiting entry (pre-queue, line, passed over), least recently seen first. */
  private readonly bySeen = new Map<string, Entry>();
  /** Entries released and not yet collected, oldest first (they hold seats under the ceiling). */
  private held: Entry[] = [];
  private heldStart = 0;
  private heldCount = 0;
  /** Entries passed over while unconfirmed, oldest first (dropped once abandoned). */
  private skipped: Entry[] = [];
  private skippedStart = 0;
  private skippedAlive = 0;
  /** Releases per second over the last `releaseWindowSeconds` (a ring of per-second counts). */
  private readonly releaseCounts = new Array<number>(releaseWindowSeconds).fill(0);
  private readonly releaseSeconds = new Array<number>(releaseWindowSeconds).fill(-1);
  /** Newcomers (requests without a place) this second and the one before. */
  private arrivalSecond = -1;
  private arrivalsThisSecond = 0;
  private arrivalsLastSecond = 0;

  constructor(
    readonly settings: GateSettings,
    options: { phase: GatePhase; nowMs: number; newId: () => string; random: () => number },
  ) {
    this.phase = options.phase;
    this.newId = options.newId;
    this.random = options.random;
    this.bucket = new TokenBucket(settings.admitRatePerSecond, settings.burst, options.nowMs);
  }

  private readonly newId: () => string;
  private readonly random: () => number;

  get currentPhase(): GatePhase {
    return this.phase;
  }

  /** Clients waiting (in the pre-queue or in line, not yet released). */
  get waiting(): number {
    return this.preQueue.size + this.ranks.total;
  }

  /** One ticket request. */
  arrive(arrival: GateArrival): GateDecision {
    const { nowMs } = arrival;
    this.dropAbandoned(nowMs);
    this.expireFresh(nowMs);
    const known = arrival.entryId ? this.entries.get(arrival.entryId) : undefined;
    if (this.phase === "pre-queue") return this.preQueueDecision(known, arrival);

    this.advance(nowMs, arrival.activeListeners);
    if (known) {
      if (known.releasedAt !== null) return this.collect(known);
      this.touch(known, nowMs);
      known.confirmed = true;
      if (known.index >= 0 && !known.counted) {
        this.counted.add(known.index);
        known.counted = true;
      }
      if (known.skipped && this.seatAndToken(nowMs, arrival.activeListeners)) {
        this.entries.delete(known.id);
        this.bySeen.delete(known.id);
        this.skippedAlive--;
        return { kind: "admit" };
      }
      return this.queueDecision(known, arrival);
    }
    const nobodyWaiting = this.ranks.total === 0 && this.skippedAlive === 0;
    if (
      nobodyWaiting &&
      !this.flooded(nowMs) &&
      arrival.activeListeners + this.heldCount < this.settings.maxListeners &&
      this.bucket.take(nowMs)
    ) {
      return { kind: "admit" };
    }
    return this.queueDecision(this.enqueue(nowMs), arrival);
  }

  /** Counts a newcomer; true while newcomers arrive faster than they may skip the line. */
  private flooded(nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.arrivalSecond) {
      this.arrivalsLastSecond = second === this.arrivalSecond + 1 ? this.arrivalsThisSecond : 0;
      this.arrivalSecond = second;
      this.arrivalsThisSecond = 0;
    }
    this.arrivalsThisSecond++;
    const rate = Math.max(this.arrivalsThisSecond, this.arrivalsLastSecond);
    return rate > this.settings.confirmAboveArrivalsPerSecond;
  }

  /** Go-live: the pre-queue is shuffled (Fisher-Yates) into the front of the line. */
  open(nowMs: number): void {
    if (this.phase === "queue") return;
    this.phase = "queue";
    this.dropAbandoned(nowMs);
    const present = [...this.preQueue];
    this.preQueue.clear();
    for (let i = present.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.max(0, Math.floor(this.random() * (i + 1))));
      [present[i], present[j]] = [present[j] as Entry, present[i] as Entry];
    }
    for (const entry of present) this.append(entry, nowMs);
  }

  private preQueueDecision(known: Entry | undefined, arrival: GateArrival): GateDecision {
    let entry = known ?? null;
    if (entry) {
      this.touch(entry, arrival.nowMs);
      entry.confirmed = true;
    } else if (this.waiting < this.settings.maxQueueLength) {
      entry = this.newEntry(arrival.nowMs);
      this.preQueue.add(entry);
    }
    const untilOpen = Math.max(0, (arrival.untilOpenMs ?? 0) / 1000);
    // Drawn at random at go-live: on average half the pre-queue goes first.
    const afterOpen = this.preQueue.size / 2 / this.settings.admitRatePerSecond;
    // Past the scheduled start (or with none) the wait is the host's to end: no number is honest.
    const hostLate = arrival.untilOpenMs === undefined || arrival.untilOpenMs <= 0;
    return {
      kind: "queue",
      entryId: entry?.id ?? null,
      position: this.preQueue.size,
      estimatedWaitSeconds: hostLate ? null : Math.ceil(untilOpen + afterOpen),
      retryAfterSeconds: this.retryAfter(untilOpen),
      phase: "pre-queue",
    };
  }

  private queueDecision(entry: Entry | null, arrival: GateArrival): GateDecision {
    const position = entry?.skipped
      ? 1
      : entry && entry.index >= 0
        ? this.counted.through(entry.index) + (entry.counted ? 0 : 1)
        : this.waiting + 1;
    const full = arrival.activeListeners + this.heldCount >= this.settings.maxListeners;
    // Under the ceiling the line moves at the admit rate; at it, as fast as seats freed lately.
    const rate = full
      ? Math.max(this.releaseRate(arrival.nowMs), 0.05)
      : this.settings.admitRatePerSecond;
    const wait = Math.min(86_400, Math.ceil(position / rate));
    return {
      kind: "queue",
      entryId: entry?.id ?? null,
      position,
      estimatedWaitSeconds: wait,
      // Come back around half-way to the estimate: near the front that is often. A new place
      // comes back at once to confirm: the places ahead that never will (bots) are passed
      // over meanwhile, so its honest position is usually far smaller a second later.
      retryAfterSeconds: this.retryAfter(entry && !entry.confirmed ? 0 : wait / 2),
      phase: "queue",
    };
  }

  private retryAfter(idealSeconds: number): number {
    const { minRetrySeconds: min, maxRetrySeconds: max } = this.settings;
    // Jitter spreads the return of a crowd told the same thing at the same moment.
    const jittered = Math.min(max, Math.max(min, idealSeconds)) * (0.8 + 0.4 * this.random());
    return Math.min(max, Math.max(min, Math.round(jittered)));
  }

  private enqueue(nowMs: number): Entry | null {
    if (this.waiting >= this.settings.maxQueueLength) return null;
    const entry = this.newEntry(nowMs);
    this.append(entry, nowMs);
    return entry;
  }

  private newEntry(nowMs: number): Entry {
    const entry: Entry = {
      id: this.newId(),
      index: -1,
      lastSeen: nowMs,
      releasedAt: null,
      confirmed: false,
      skipped: false,
      bornAt: nowMs,
      counted: false,
    };
    this.entries.set(entry.id, entry);
    this.bySeen.set(entry.id, entry);
    return entry;
  }

  private append(entry: Entry, nowMs: number): void {
    entry.index = this.ranks.append();
    entry.counted = entry.confirmed || nowMs - entry.bornAt < this.settings.confirmGraceMs;
    this.counted.append(entry.counted);
    if (entry.counted && !entry.confirmed) this.fresh.push(entry);
    this.line.push(entry);
  }

  /** New places whose clients did not come back within the grace stop counting. */
  private expireFresh(nowMs: number): void {
    while (this.freshStart < this.fresh.length) {
      const entry = this.fresh[this.freshStart] as Entry;
      if (nowMs - entry.bornAt < this.settings.confirmGraceMs) break;
      this.freshStart++;
      if (entry.index >= 0 && entry.counted && !entry.confirmed) {
        this.counted.remove(entry.index);
        entry.counted = false;
      }
    }
  }

  /** The client asked again: its place is kept, and it moves to the back of `bySeen`. */
  private touch(entry: Entry, nowMs: number): void {
    entry.lastSeen = nowMs;
    this.bySeen.delete(entry.id);
    this.bySeen.set(entry.id, entry);
  }

  /** The entry no longer waits in line (its turn came, or it lapsed): its rank goes. */
  private leaveLine(entry: Entry): void {
    if (entry.index < 0) return;
    this.ranks.remove(entry.index);
    if (entry.counted) this.counted.remove(entry.index);
    entry.counted = false;
    entry.index = -1;
  }

  /**
   * Every waiting place whose client stopped asking lapses, wherever it stands: the pre-queue's
   * tie shrinks and those behind it in line move up at once (not when its turn would come).
   */
  private dropAbandoned(nowMs: number): void {
    for (const entry of this.bySeen.values()) {
      if (!this.abandoned(entry, nowMs)) break;
      this.bySeen.delete(entry.id);
      this.entries.delete(entry.id);
      if (this.preQueue.delete(entry)) continue;
      if (entry.skipped) this.skippedAlive--;
      else this.leaveLine(entry);
    }
  }

  private collect(entry: Entry): GateDecision {
    this.entries.delete(entry.id);
    entry.releasedAt = null;
    this.heldCount--;
    return { kind: "admit" };
  }

  private abandoned(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.lastSeen > this.settings.abandonAfterMs;
  }

  /** Lets expired holds go, then gives tokens and free seats to the head of the line. */
  private advance(nowMs: number, activeListeners: number): void {
    while (this.heldStart < this.held.length) {
      const entry = this.held[this.heldStart] as Entry;
      const collected = entry.releasedAt === null || !this.entries.has(entry.id);
      if (!collected && nowMs - (entry.releasedAt as number) <= this.settings.holdReleasedMs) break;
      if (!collected) {
        this.entries.delete(entry.id);
        this.heldCount--;
      }
      this.heldStart++;
    }
    while (this.skippedStart < this.skipped.length) {
      const entry = this.skipped[this.skippedStart] as Entry;
      const alive = this.entries.has(entry.id);
      if (alive && !this.abandoned(entry, nowMs)) break;
      if (alive) {
        this.entries.delete(entry.id);
        this.bySeen.delete(entry.id);
        this.skippedAlive--;
      }
      this.skippedStart++;
    }
    while (this.cursor < this.line.length) {
      const entry = this.line[this.cursor] as Entry;
      if (entry.index < 0) {
        this.cursor++; // lapsed while it waited
        continue;
      }
      if (activeListeners + this.heldCount >= this.settings.maxListeners) break;
      if (this.bucket.available(nowMs) < 1) break;
      if (!entry.confirmed) {
        // Its turn, but it never came back to ask: a bot that sprays arrivals, or a client
        // between its first two requests. Pass it over without spending the seat; if it
        // returns, it goes first.
        this.leaveLine(entry);
        entry.skipped = true;
        this.skipped.push(entry);
        this.skippedAlive++;
        this.cursor++;
        continue;
      }
      this.bucket.take(nowMs);
      this.leaveLine(entry);
      this.bySeen.delete(entry.id);
      entry.releasedAt = nowMs;
      this.held.push(entry);
      this.heldCount++;
      this.countRelease(nowMs);
      this.cursor++;
    }
    this.compact();
  }

  private seatAndToken(nowMs: number, activeListeners: number): boolean {
    return activeListeners + this.heldCount < this.settings.maxListeners && this.bucket.take(nowMs);
  }

  private countRelease(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % releaseWindowSeconds;
    if (this.releaseSeconds[slot] !== second) {
      this.releaseSeconds[slot] = second;
      this.releaseCounts[slot] = 0;
    }
    this.releaseCounts[slot] = (this.releaseCounts[slot] as number) + 1;
  }

  private releaseRate(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let total = 0;
    for (let slot = 0; slot < releaseWindowSeconds; slot++) {
      const at = this.releaseSeconds[slot] as number;
      if (at > second - releaseWindowSeconds && at <= second)
        total += this.releaseCounts[slot] as number;
    }
    return total / releaseWindowSeconds;
  }

  /**
   * Drops the consumed front of the arrays once it is most of them, and the line's lapsed
   * places once they are most of it (amortized O(1)).
   */
  private compact(): void {
    const rest = this.line.length - this.cursor;
    if (
      (this.cursor > 1024 && this.cursor * 2 > this.line.length) ||
      (rest > 1024 && this.ranks.total * 2 < rest)
    ) {
      this.line = this.line.slice(this.cursor).filter((entry) => entry.index >= 0);
      this.line.forEach((entry, i) => {
        entry.index = i;
      });
      this.ranks.reset(this.line.length);
      const line = this.line;
      this.counted.reset(line.length, (i) => (line[i] as Entry).counted);
      this.cursor = 0;
    }
    if (this.heldStart > 1024 && this.heldStart * 2 > this.held.length) {
      this.held = this.held.slice(this.heldStart);
      this.heldStart = 0;
    }
    if (this.freshStart > 1024 && this.freshStart * 2 > this.fresh.length) {
      this.fresh = this.fresh.slice(this.freshStart);
      this.freshStart = 0;
    }
    if (this.skippedStart > 1024 && this.skippedStart * 2 > this.skipped.length) {
      this.skipped = this.skipped.slice(this.skippedStart);
      this.skippedStart = 0;
    }
  }
}
