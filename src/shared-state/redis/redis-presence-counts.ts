import type { Redis } from "ioredis";
import type {
  AudienceFigures,
  ListenerCounterSettings,
} from "../../domain/presence/listener-counter.ts";
import { MemoryPresenceCounts } from "../memory/memory-presence-counts.ts";
import type { PresenceCounts } from "../ports.ts";

/** Keeps the larger of the stored peak and the count just read. */
const peakScript = `
local peak = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
if now > peak then redis.call('SET', KEYS[1], now, 'PX', ARGV[2]) return now end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return peak
`;

/** How long the all-time distinct set and the peak outlive a Space's last heartbeat. */
const figuresTtlMs = 24 * 3_600_000;

interface Cached {
  at: number;
  current: number;
  issuedSince: number;
}

/**
 * Listener counts for the fleet: a HyperLogLog per time bucket per Space (PFADD), the window's
 * count a PFCOUNT over its buckets (their union), the distinct total in one more HyperLogLog,
 * the peak kept by a small script. Redis' HyperLogLog is exact for small sets and within ~0.8%
 * above. Each node reads the count at most every `refreshMs` and adds the tickets it issued
 * since, as the in-process counter does, so the admission ceiling costs no Redis call per
 * request. Every heartbeat is also counted locally: while Redis is down the node answers with
 * the larger of its own count and the fleet's last known one; the fleet's count rebuilds from
 * heartbeats within one window once Redis is back.
 */
export class RedisPresenceCounts implements PresenceCounts {
  private readonly local: MemoryPresenceCounts;
  private readonly cache = new Map<string, Cached>();
  /** Ticket ids heard since the last flush, by Space and time bucket. */
  private pending = new Map<string, Map<number, Set<string>>>();
  private pendingCount = 0;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly settings: ListenerCounterSettings,
    private readonly onFallback: (error: unknown) => void,
    /** Heartbeats are sent to Redis in batches this often (one PFADD per Space per bucket). */
    private readonly flushMs = 200,
  ) {
    this.local = new MemoryPresenceCounts(settings);
    redis.defineCommand("amphiPeak", { numberOfKeys: 1, lua: peakScript });
  }

  issued(spaceId: string, ticketId: string, nowMs: number): void {
    this.seen(spaceId, ticketId, nowMs);
    const cached = this.cache.get(spaceId);
    if (cached) cached.issuedSince++;
  }

  /**
   * A heartbeat. Counted locally at once; sent to Redis with the others of the next
   * `flushMs`: a node sends one PFADD per Space per bucket per flush, not one per listener,
   * which keeps a million heartbeats from becoming a million commands on one hot key.
   */
  seen(spaceId: string, ticketId: string, nowMs: number): void {
    this.local.seen(spaceId, ticketId, nowMs);
    const bucket = Math.floor(nowMs / this.settings.bucketMs);
    let buckets = this.pending.get(spaceId);
    if (!buckets) {
      buckets = new Map();
      this.pending.set(spaceId, buckets);
    }
    let ids = buckets.get(bucket);
    if (!ids) {
      ids = new Set();
      buckets.set(bucket, ids);
    }
    ids.add(ticketId);
    this.pendingCount++;
    if (this.pendingCount >= 5_000) void this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), this.flushMs);
      this.flushTimer.unref();
    }
  }

  /** Sends the heartbeats gathered so far (one MULTI for all Spaces). */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pendingCount === 0) return;
    const pending = this.pending;
    this.pending = new Map();
    this.pendingCount = 0;
    const multi = this.redis.multi();
    for (const [spaceId, buckets] of pending) {
      const everyone = `${keyOf(spaceId)}:all`;
      const all = new Set<string>();
      for (const [bucket, ids] of buckets) {
        const bucketKey = `${keyOf(spaceId)}:b:${bucket}`;
        multi.pfadd(bucketKey, ...ids);
        multi.pexpire(bucketKey, this.settings.windowMs + 2 * this.settings.bucketMs);
        for (const id of ids) all.add(id);
      }
      multi.pfadd(everyone, ...all);
      multi.pexpire(everyone, figuresTtlMs);
    }
    // Lost while Redis is down: the listeners beat again within a heartbeat and count again.
    await multi.exec().catch((error: unknown) => this.onFallback(error));
  }

  async current(spaceId: string, nowMs: number): Promise<number> {
    const cached = this.cache.get(spaceId);
    if (cached && nowMs - cached.at < this.settings.refreshMs && nowMs >= cached.at) {
      return cached.current + cached.issuedSince;
    }
    try {
      // Our own heartbeats first, so this node never reads a count without them.
      await this.flush();
      const current = await this.redis.pfcount(...this.windowKeys(spaceId, nowMs));
      await (this.redis as PeakRedis).amphiPeak(`${keyOf(spaceId)}:peak`, current, figuresTtlMs);
      this.cache.set(spaceId, { at: nowMs, current, issuedSince: 0 });
      return current;
    } catch (error) {
      this.onFallback(error);
      const local = this.local.currentNow(spaceId, nowMs);
      return Math.max(local, cached ? cached.current + cached.issuedSince : 0);
    }
  }

  async figures(spaceId: string, nowMs: number): Promise<AudienceFigures> {
    try {
      const current = await this.current(spaceId, nowMs);
      const [peak, unique] = await Promise.all([
        this.redis.get(`${keyOf(spaceId)}:peak`),
        this.redis.pfcount(`${keyOf(spaceId)}:all`),
      ]);
      return { current, peak: Math.max(Number(peak ?? 0), current), unique };
    } catch (error) {
      this.onFallback(error);
      return this.local.figuresNow(spaceId, nowMs);
    }
  }

  async forget(spaceId: string): Promise<void> {
    await this.flush();
    this.cache.delete(spaceId);
    await this.local.forget(spaceId);
  }

  private windowKeys(spaceId: string, nowMs: number): string[] {
    const bucket = Math.floor(nowMs / this.settings.bucketMs);
    const span = Math.ceil(this.settings.windowMs / this.settings.bucketMs);
    const keys: string[] = [];
    for (let b = bucket - span + 1; b <= bucket; b++) keys.push(`${keyOf(spaceId)}:b:${b}`);
    return keys;
  }
}

type PeakRedis = Redis & { amphiPeak(key: string, now: number, ttlMs: number): Promise<number> };

function keyOf(spaceId: string): string {
  return `amphi:presence:{${spaceId}}`;
}
