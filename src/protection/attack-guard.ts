import type { Challenge } from "altcha-lib";
import { Gauge, type Registry } from "prom-client";
import { AmphiError } from "../errors/error-registry.ts";
import type { AttackDetector, AttackMode, AttackReason } from "./attack-detector.ts";
import type { NetworkLimits } from "./network-limits.ts";
import type { ProofOfWork } from "./proof-of-work.ts";

export interface AdmitRequest {
  /** The client address (request.ip, after TRUST_PROXY). */
  ip: string;
  /** The base64 ALTCHA payload from the body, if any. */
  altcha?: string | undefined;
  /** The Space asked for: a challenge solved for another Space is refused. */
  spaceId?: string | undefined;
  /**
   * The request carries a valid queue token (checked by the caller): it passed the gate when
   * it joined the queue, so it is network-limited but neither counted as a new arrival nor
   * asked for another proof of work.
   */
  queued?: boolean | undefined;
  /** Milliseconds; the guard's clock when absent. */
  now?: number | undefined;
}

export type AdmitVerdict = { ok: true } | { ok: false; error: AmphiError };

export interface AttackStatus {
  mode: AttackMode;
  active: boolean;
  reason: AttackReason;
  arrivalsPerSecond: number;
  refusalsPerSecond: number;
  refusalRatio: number;
}

export interface AttackGuardOptions {
  limits: NetworkLimits;
  detector: AttackDetector;
  pow: ProofOfWork;
  /** Where a client fetches a challenge for a Space. */
  challengeUrl?: (spaceId: string) => string;
  /**
   * Count network-limit refusals as detector refusals. Off by default: one flooding host is
   * already cut off by the network limits, and counting its refusals would let it switch
   * attack mode (proof of work for everyone) on by itself.
   */
  countNetworkRefusals?: boolean;
  /** Milliseconds. */
  clock?: () => number;
  random?: () => number;
}

/**
 * The one object the ticket route talks to. In order:
 * 1. network limits (per address and per prefix; stricter while attack mode is on):
 *    429 AMPHI_RATE_LIMITED with a Retry-After jittered over the window's remaining seconds;
 * 2. while attack mode is on, a new arrival needs a valid, unspent ALTCHA solution:
 *    428 AMPHI_CHALLENGE_REQUIRED with `details: { challengeUrl }` (and `reason` when a
 *    payload was sent but refused: expired, spent, invalid...).
 * What the detector sees: an arrival for each new request that gets past the network limits
 * (not queue polls, not the second half of an arrival that solved its challenge); outcomes
 * "admitted" and "refused" (a refused proof of work) for those arrivals. The route reports
 * its own failures (e.g. 5xx on the join path) with `recordFailure()`.
 */
export class AttackGuard {
  private readonly limits: NetworkLimits;
  private readonly detector: AttackDetector;
  private readonly pow: ProofOfWork;
  private readonly challengeUrl: (spaceId: string) => string;
  private readonly countNetworkRefusals: boolean;
  private readonly clock: () => number;
  private readonly random: () => number;

  constructor(options: AttackGuardOptions) {
    this.limits = options.limits;
    this.detector = options.detector;
    this.pow = options.pow;
    this.challengeUrl =
      options.challengeUrl ?? ((id) => `/api/spaces/${encodeURIComponent(id)}/challenge`);
    this.countNetworkRefusals = options.countNetworkRefusals ?? false;
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get mode(): AttackMode {
    return this.detector.mode;
  }

  set mode(mode: AttackMode) {
    this.detector.mode = mode;
  }

  async admit(request: AdmitRequest): Promise<AdmitVerdict> {
    const now = request.now ?? this.clock();
    const active = this.detector.state(now).active;
    const network = await this.limits.take(request.ip, active ? "attack" : "normal");
    if (!network.ok) {
      if (this.countNetworkRefusals) this.detector.recordOutcome(now, "refused");
      return { ok: false, error: this.rateLimited(network.retryAfter) };
    }
    // A queued client polling is neither a new arrival nor a gate decision: counting its
    // polls as outcomes would drown the refusal ratio in a long queue's steady traffic.
    if (request.queued) return { ok: true };
    if (!active) {
      this.detector.recordArrival(now);
      this.detector.recordOutcome(now, "admitted");
      return { ok: true };
    }
    const challengeUrl = this.challengeUrl(request.spaceId ?? "");
    if (!request.altcha) {
      // Expected in attack mode (the client learns it must solve): counted as an arrival,
      // not as a refusal, or attack mode would keep itself on.
      this.detector.recordArrival(now);
      return { ok: false, error: challengeRequired(challengeUrl) };
    }
    const verdict = await this.pow.verify(request.altcha, request.spaceId);
    if (!verdict.ok) {
      this.detector.recordArrival(now);
      this.detector.recordOutcome(now, "refused");
      return { ok: false, error: challengeRequired(challengeUrl, verdict.reason) };
    }
    this.detector.recordOutcome(now, "admitted");
    return { ok: true };
  }

  /**
   * The body of `GET /api/spaces/:id/challenge` (send with Cache-Control: no-store). Making
   * one costs the server one key derivation (~0.2-1 ms of the libuv pool), so with `ip` the
   * request first counts against the same network limits as ticket requests, and throws
   * AMPHI_RATE_LIMITED over them.
   */
  async challenge(spaceId: string, ip?: string, now = this.clock()): Promise<Challenge> {
    if (ip !== undefined) {
      const active = this.detector.state(now).active;
      const network = await this.limits.take(ip, active ? "attack" : "normal");
      if (!network.ok) throw this.rateLimited(network.retryAfter);
    }
    return this.pow.challenge(spaceId);
  }

  /** A failure on the join path after admit() said yes (e.g. a 5xx), for the detector. */
  recordFailure(now = this.clock()): void {
    this.detector.recordOutcome(now, "failed");
  }

  status(now = this.clock()): AttackStatus {
    const state = this.detector.state(now);
    return {
      mode: state.mode,
      active: state.active,
      reason: state.reason,
      arrivalsPerSecond: state.arrivalsPerSecond,
      refusalsPerSecond: state.refusalsPerSecond,
      refusalRatio: state.refusalRatio,
    };
  }

  /**
   * Adds gauges read at scrape time: `amphi_attack_mode_active` (0/1),
   * `amphi_attack_mode_forced` (-1 off, 0 auto, 1 on), `amphi_ticket_arrivals_per_second`,
   * `amphi_ticket_refusals_per_second`, `amphi_network_limit_records` (live rate-limit
   * records), `amphi_network_limit_uncounted` (requests let through uncounted because the
   * record budget was full) and `amphi_altcha_spent` (spent challenges remembered).
   */
  registerMetrics(registry: Registry): void {
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    gauge("amphi_attack_mode_active", "1 while attack mode is on", () =>
      this.status().active ? 1 : 0,
    );
    gauge("amphi_attack_mode_forced", "Operator override: -1 off, 0 auto, 1 on", () =>
      this.mode === "on" ? 1 : this.mode === "off" ? -1 : 0,
    );
    gauge(
      "amphi_ticket_arrivals_per_second",
      "New ticket requests per second (detector window)",
      () => this.status().arrivalsPerSecond,
    );
    gauge(
      "amphi_ticket_refusals_per_second",
      "Refused or failed ticket requests per second (detector window)",
      () => this.status().refusalsPerSecond,
    );
    gauge(
      "amphi_network_limit_records",
      "Rate-limit records alive (upper bound)",
      () => this.limits.stats().trackedKeys,
    );
    gauge(
      "amphi_network_limit_uncounted",
      "Requests let through uncounted since start (record budget full)",
      () => this.limits.stats().uncounted,
    );
    gauge("amphi_altcha_spent", "Spent ALTCHA challenges remembered", () => this.pow.spentCount());
  }

  /**
   * Retry-After is the window's remaining seconds plus up to half as much again, so the
   * refused do not all come back the second the window resets.
   */
  private rateLimited(seconds: number): AmphiError {
    const retryAfter = seconds + Math.floor(this.random() * (Math.ceil(seconds / 2) + 1));
    return new AmphiError("AMPHI_RATE_LIMITED", { retryAfter });
  }
}

function challengeRequired(challengeUrl: string, reason?: string): AmphiError {
  return new AmphiError("AMPHI_CHALLENGE_REQUIRED", {
    details: reason === undefined ? { challengeUrl } : { challengeUrl, reason },
  });
}
