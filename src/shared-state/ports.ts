import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { Bus } from "../bus/bus.ts";
import type { GateDecision, GatePhase } from "../domain/admission/admission-gate.ts";
import type { AudienceFigures } from "../domain/presence/listener-counter.ts";

/**
 * The state the nodes of a fleet share, as ports: every short-lived fact that must look the
 * same whichever API or media node a request reaches. Two implementations: in-process
 * (`memory/`, the embedded default of `npm start`) and Redis (`redis/`, a fleet). One
 * conformance suite (`conformance.ts`) runs against both.
 *
 * Calls never throw because the shared store is down: a Redis implementation degrades to a
 * local answer (docs/decisions.md, "Redis down: local buckets at the node's share") and says
 * so through `health()`.
 */
export interface SharedState {
  readonly kind: "memory" | "redis";
  readonly admission: AdmissionLines;
  readonly presence: PresenceCounts;
  readonly limits: RateLimitStores;
  readonly signals: FleetSignals;
  readonly nonces: SpentNonces;
  readonly placement: MediaPlacement;
  /** Live-state fan-out between nodes (and between the parts of one node). */
  bus<Events extends object>(name: string): Bus<Events>;
  /** Whether the shared store answers now (always true in memory). */
  health(): { shared: boolean };
  close(): Promise<void>;
}

/** One ticket request as the admission line of a Space sees it. */
export interface LineArrival {
  /** The Space's phase now: its pre-queue until go-live, then its line. */
  phase: GatePhase;
  /** The place named by the client's queue token, if it has one. */
  entryId?: string | undefined;
  nowMs: number;
  /** Listeners active now in the whole fleet (presence). */
  activeListeners: number;
  /** Before go-live: how long until the scheduled start. */
  untilOpenMs?: number | undefined;
}

/**
 * The admission gate of every Space (src/domain/admission/admission-gate.ts): one token bucket
 * at the admit rate, one ceiling and one line per Space for the whole fleet, so a queue token
 * from one node keeps its place on any other.
 *
 * `arrive` (and `PresenceCounts.current`) may answer with a value instead of a promise: the
 * in-process implementation does, so a join costs no promise and no trip through the
 * microtask queue there; callers await only what is a promise (`isPromise`).
 */
export interface AdmissionLines {
  arrive(spaceId: string, arrival: LineArrival): GateDecision | Promise<GateDecision>;
  /** The Space ended: its line goes. */
  forget(spaceId: string): Promise<void>;
}

/** Listener counts across nodes: distinct tickets heard from in a sliding window. */
export interface PresenceCounts {
  /** A ticket just issued: counts at once, before its first heartbeat. */
  issued(spaceId: string, ticketId: string, nowMs: number): void;
  /** A heartbeat from a ticket. */
  seen(spaceId: string, ticketId: string, nowMs: number): void;
  /** Listeners now (fleet-wide; refreshed at most every second, plus tickets issued since). */
  current(spaceId: string, nowMs: number): number | Promise<number>;
  /** Now, the peak and the distinct total since the Space opened. */
  figures(spaceId: string, nowMs: number): Promise<AudienceFigures>;
  forget(spaceId: string): Promise<void>;
}

export interface LimitSpec {
  /** A name unique in the fleet: the key prefix of its counters. */
  name: string;
  points: number;
  windowSeconds: number;
}

/** Makes rate-limiter-flexible limiters whose counts are shared by the fleet. */
export interface RateLimitStores {
  create(spec: LimitSpec): RateLimiterAbstract;
}

/** Counts of the ticket path in one time bucket (the attack detector's inputs). */
export interface SignalCounts {
  arrivals: number;
  admitted: number;
  refused: number;
}

export type OperatorAttackMode = "auto" | "on" | "off";

/**
 * Attack-mode signals summed over the fleet, and the operator's switch that applies on every
 * node. Each node adds its counts per bucket; every node reads the sum.
 */
export interface FleetSignals {
  /** Adds this node's counts of bucket `bucketId` (absolute: time / bucket width). */
  add(bucketId: number, counts: SignalCounts): Promise<void>;
  /** The fleet's counts for buckets `fromBucket`..`toBucket` (inclusive), summed. */
  totals(fromBucket: number, toBucket: number): Promise<SignalCounts>;
  /** The operator's switch: null when never set (each node's configured default applies). */
  operatorMode(): Promise<OperatorAttackMode | null>;
  setOperatorMode(mode: OperatorAttackMode): Promise<void>;
}

/** Solved proof-of-work challenges: each nonce is accepted once in the whole fleet. */
export interface SpentNonces {
  /** True the first time `nonce` is spent; false if any node spent it before. */
  spend(nonce: string, untilMs: number): Promise<boolean>;
}

/** Where a Space's live stream stands (src/media/packager/hls-packager.ts). */
export type { StreamPosition } from "../media/packager/hls-packager.ts";

import type { StreamPosition } from "../media/packager/hls-packager.ts";

export interface MediaNodeRef {
  /** NODE_NAME of the media node. */
  name: string;
  /** Where API nodes reach it (ADVERTISE_URL). */
  url: string;
}

/**
 * A lease naming the media node that owns a live Space. `epoch` grows by one each time the
 * Space changes owner: a fencing token that parts and recordings carry so a stale owner's
 * writes can be refused (the failover issue builds on it).
 */
export interface MediaLease extends MediaNodeRef {
  spaceId: string;
  epoch: number;
  expiresAtMs: number;
}

/** Which media node owns each live Space. */
export interface MediaPlacement {
  /** Takes the Space if nobody holds it (or the lease lapsed). Null if another node holds it. */
  acquire(spaceId: string, node: MediaNodeRef, ttlMs: number): Promise<MediaLease | null>;
  /** Extends our lease; false if it lapsed and another node took it (stop serving it). */
  renew(lease: MediaLease, ttlMs: number): Promise<boolean>;
  /** Gives the Space up (it ended, or the node drains). */
  release(lease: MediaLease): Promise<void>;
  /** The current owner, or null if nobody holds the Space. */
  owner(spaceId: string): Promise<MediaLease | null>;
  /**
   * The owner's stream reached `position` (after each part): what a node that takes the
   * Space over continues from. False, and nothing written, if the lease is no longer ours
   * (fencing: the caller stops serving the Space).
   */
  mark(lease: MediaLease, position: StreamPosition): Promise<boolean>;
  /** Where the Space's stream stood at its owner's last mark; null if never marked. */
  position(spaceId: string): Promise<StreamPosition | null>;
}

/** Whether a port answered with a promise (shared state) rather than a value (in process). */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
