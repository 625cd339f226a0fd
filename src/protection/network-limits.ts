import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { LiveRecordBudget } from "./live-record-budget.ts";
import { inRanges, networkKeys, parseRanges } from "./network-keys.ts";

export type NetworkScope = "address" | "prefix";
export type NetworkLimitMode = "normal" | "attack";

export interface ScopeLimit {
  /** Ticket requests allowed per window. */
  points: number;
  windowSeconds: number;
}

export interface NetworkLimitSet {
  /** Per IPv4 address / IPv6 /64. */
  address: ScopeLimit;
  /** Per IPv4 /24 / IPv6 /48. */
  prefix: ScopeLimit;
}

export type NetworkVerdict = { ok: true } | { ok: false; retryAfter: number; scope: NetworkScope };

/**
 * The part of a rate-limiter-flexible limiter we use. RateLimiterMemory by default; a
 * RateLimiterRedis (same methods) shares the counts between API nodes later.
 */
export interface CountingStore {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  get(key: string): Promise<RateLimiterRes | null>;
}

/**
 * Defaults, per process (behind a load balancer each node counts its own share).
 *
 * Sizing: a queued listener polls the ticket route every few seconds (say 5 s = 0.2 req/s).
 * Behind carrier-grade NAT one public IPv4 address can carry hundreds of subscribers, and a
 * carrier's pool fills whole /24s; mobile IPv6 gives each device its own /64 but many devices
 * share a /48. A single abusive host, by contrast, sends as fast as it can (hundreds to
 * thousands of requests per second).
 *
 * - normal, address: 200 per 10 s (20/s) = ~100 queued people behind one NAT address polling
 *   every 5 s. A flooding host is cut to 20/s, i.e. under 1% of what it sends at 3k/s, and
 *   the rest of its requests cost one in-memory lookup each.
 * - normal, prefix: 1000 per 10 s (100/s) = ~500 people in one /24 or /48. Checked after the
 *   address limit, so a host refused at its own address does not eat its neighbours' budget.
 * - attack mode: a quarter of that (50 and 250 per 10 s). New arrivals must also solve a
 *   proof of work then; a NAT address with more than ~25 queued people gets 429 with the
 *   window's remaining seconds and simply polls slower, keeping its queue token and place.
 *
 * 10 s windows: short enough that a refused client is back within seconds and that records
 * leave memory quickly, long enough to cover a few poll intervals.
 */
export const defaultNetworkLimits: Record<NetworkLimitMode, NetworkLimitSet> = {
  normal: {
    address: { points: 200, windowSeconds: 10 },
    prefix: { points: 1000, windowSeconds: 10 },
  },
  attack: {
    address: { points: 50, windowSeconds: 10 },
    prefix: { points: 250, windowSeconds: 10 },
  },
};

/**
 * Memory ceiling: ~450 bytes per RateLimiterMemory record (measured: a Map entry, a record
 * and a timer), so 100,000 records are ~45 MB whatever a flood of random addresses does.
 */
export const defaultMaxTrackedKeys = 100_000;

export interface NetworkLimitsOptions {
  limits?: Record<NetworkLimitMode, NetworkLimitSet>;
  /** Most rate-limit records alive at once (all scopes and modes together). */
  maxTrackedKeys?: number;
  /** Addresses or CIDR ranges never limited (e.g. a load-test client, a trusted edge). */
  exempt?: readonly string[];
  /** Makes the store for one scope; RateLimiterMemory unless given (e.g. RateLimiterRedis). */
  createStore?: (name: string, limit: ScopeLimit) => CountingStore;
  /** Milliseconds; Date.now like rate-limiter-flexible's own clock. */
  now?: () => number;
}

interface ScopeCounter {
  store: CountingStore;
  windowMs: number;
}

/**
 * Per-client limits on ticket requests at two network scopes (see network-keys.ts), with a
 * stricter set while attack mode is on. Memory-bounded: past `maxTrackedKeys` live records,
 * clients never seen in the current window are let through uncounted (fail open) while
 * everyone already counted (every host that has been sending) stays limited. A flood
 * of more distinct addresses than that is not something per-address limits can stop; attack
 * mode (proof of work) and the admission queue are the defence for it.
 */
export class NetworkLimits {
  private readonly counters: Record<NetworkLimitMode, Record<NetworkScope, ScopeCounter>>;
  private readonly budget: LiveRecordBudget;
  private readonly exempt: ReturnType<typeof parseRanges>;
  private readonly now: () => number;
  private uncounted = 0;

  constructor(options: NetworkLimitsOptions = {}) {
    const limits = options.limits ?? defaultNetworkLimits;
    const createStore =
      options.createStore ??
      ((name: string, limit: ScopeLimit) =>
        new RateLimiterMemory({
          keyPrefix: name,
          points: limit.points,
          duration: limit.windowSeconds,
        }));
    const counter = (mode: NetworkLimitMode, scope: NetworkScope): ScopeCounter => ({
      store: createStore(`net-${mode}-${scope}`, limits[mode][scope]),
      windowMs: limits[mode][scope].windowSeconds * 1000,
    });
    this.counters = {
      normal: { address: counter("normal", "address"), prefix: counter("normal", "prefix") },
      attack: { address: counter("attack", "address"), prefix: counter("attack", "prefix") },
    };
    this.budget = new LiveRecordBudget(options.maxTrackedKeys ?? defaultMaxTrackedKeys);
    this.exempt = parseRanges(options.exempt ?? []);
    this.now = options.now ?? Date.now;
  }

  /** Counts one ticket request from `ip` under the limits of `mode`. */
  async take(ip: string, mode: NetworkLimitMode = "normal"): Promise<NetworkVerdict> {
    const keys = networkKeys(ip);
    if (keys.parsed && this.exempt.length > 0 && inRanges(keys.parsed, this.exempt)) {
      return { ok: true };
    }
    const counters = this.counters[mode];
    // Address first: a host refused at its own address does not spend its prefix's budget.
    for (const scope of ["address", "prefix"] as const) {
      const msBeforeNext = await this.count(counters[scope], keys[scope]);
      if (msBeforeNext !== null) {
        return { ok: false, retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)), scope };
      }
    }
    return { ok: true };
  }

  /** For metrics: records alive (upper bound) and requests let through uncounted so far. */
  stats(): { trackedKeys: number; uncounted: number } {
    return { trackedKeys: this.budget.size(this.now()), uncounted: this.uncounted };
  }

  /** Null when allowed; otherwise ms until the key's window ends. */
  private async count(counter: ScopeCounter, key: string): Promise<number | null> {
    const now = this.now();
    if (this.budget.isFull(now) && !(await counter.store.get(key))) {
      this.uncounted += 1;
      return null;
    }
    try {
      const result = await counter.store.consume(key);
      if (result.isFirstInDuration) this.budget.noteCreated(now, counter.windowMs);
      return null;
    } catch (error) {
      if (error instanceof RateLimiterRes) return error.msBeforeNext;
      throw error;
    }
  }
}
