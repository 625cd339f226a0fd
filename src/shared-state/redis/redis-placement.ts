import type { Redis } from "ioredis";
import type { MediaLease, MediaNodeRef, MediaPlacement, StreamPosition } from "../ports.ts";

/**
 * Takes a free (or lapsed) lease with the next epoch; nil if another node holds it. Epochs
 * are at least Redis's clock in ms, so they keep growing even after Redis restarted empty
 * (they fence the stream position and the recording, which outlive Redis's memory).
 */
const acquireScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return nil end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local epoch = math.max(tonumber(redis.call('GET', KEYS[2]) or '0') + 1, now)
redis.call('SET', KEYS[2], epoch)
redis.call('SET', KEYS[1], epoch .. ' ' .. ARGV[1], 'PX', ARGV[2])
return epoch
`;
/**
 * Extends the lease if it is still exactly ours. A lease that is gone while no newer epoch
 * was handed out (Redis restarted empty, or our renewal came just late and nobody took the
 * Space) is still ours: it is written back, and the epoch counter raised to ours so that
 * epochs never repeat (they fence the stream and the recording).
 */
const renewScript = `
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if held then return 0 end
local epoch = tonumber(ARGV[3])
local issued = tonumber(redis.call('GET', KEYS[2]) or '0')
if issued > epoch then return 0 end
if issued < epoch then redis.call('SET', KEYS[2], epoch) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Writes the stream's position unless another node holds the lease (a lease that is gone is
 * taken back by the owner's next renewal, or refused there if a newer epoch was handed out).
 */
const markScript = `
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** A Space's stream position outlives its owner by a day (a Space resumed the next morning). */
const positionTtlMs = 86_400_000;

type LeaseRedis = Redis & {
  amphiLeaseMark(
    key: string,
    positionKey: string,
    value: string,
    position: string,
    ttlMs: number,
  ): Promise<number>;
  amphiLeaseAcquire(
    key: string,
    epochKey: string,
    holder: string,
    ttlMs: number,
  ): Promise<number | null>;
  amphiLeaseRenew(
    key: string,
    epochKey: string,
    value: string,
    ttlMs: number,
    epoch: number,
  ): Promise<number>;
  amphiLeaseRelease(key: string, value: string): Promise<number>;
};

/**
 * Leases in Redis: `amphi:lease:{space}` = "epoch name url" with a TTL the owner renews. A
 * lapsed lease disappears by itself, so any media node may take the Space over (failover);
 * the epoch counter (`amphi:lease-epoch:{space}`) only grows: a fencing token.
 */
export class RedisPlacement implements MediaPlacement {
  private readonly redis: LeaseRedis;

  constructor(redis: Redis) {
    this.redis = redis as LeaseRedis;
    redis.defineCommand("amphiLeaseAcquire", { numberOfKeys: 2, lua: acquireScript });
    redis.defineCommand("amphiLeaseRenew", { numberOfKeys: 2, lua: renewScript });
    redis.defineCommand("amphiLeaseRelease", { numberOfKeys: 1, lua: releaseScript });
    redis.defineCommand("amphiLeaseMark", { numberOfKeys: 2, lua: markScript });
  }

  async acquire(spaceId: string, node: MediaNodeRef, ttlMs: number): Promise<MediaLease | null> {
    const epoch = await this.redis.amphiLeaseAcquire(
      leaseKey(spaceId),
      epochKey(spaceId),
      `${node.name} ${node.url}`,
      ttlMs,
    );
    if (epoch === null) return null;
    return { spaceId, name: node.name, url: node.url, epoch, expiresAtMs: Date.now() + ttlMs };
  }

  async renew(lease: MediaLease, ttlMs: number): Promise<boolean> {
    const renewed = await this.redis.amphiLeaseRenew(
      leaseKey(lease.spaceId),
      epochKey(lease.spaceId),
      leaseValue(lease),
      ttlMs,
      lease.epoch,
    );
    if (renewed === 1) lease.expiresAtMs = Date.now() + ttlMs;
    return renewed === 1;
  }

  async release(lease: MediaLease): Promise<void> {
    await this.redis.amphiLeaseRelease(leaseKey(lease.spaceId), leaseValue(lease));
  }

  async owner(spaceId: string): Promise<MediaLease | null> {
    const [value, ttl] = await Promise.all([
      this.redis.get(leaseKey(spaceId)),
      this.redis.pttl(leaseKey(spaceId)),
    ]);
    if (!value) return null;
    const [epoch, name, url] = value.split(" ");
    if (!epoch || !name || !url) return null;
    return { spaceId, name, url, epoch: Number(epoch), expiresAtMs: Date.now() + Math.max(0, ttl) };
  }

  async mark(lease: MediaLease, position: StreamPosition): Promise<boolean> {
    const marked = await this.redis.amphiLeaseMark(
      leaseKey(lease.spaceId),
      positionKey(lease.spaceId),
      leaseValue(lease),
      `${position.mediaSequence} ${position.decodeTime} ${position.discontinuitySequence ?? 0}`,
      positionTtlMs,
    );
    return marked === 1;
  }

  async position(spaceId: string): Promise<StreamPosition | null> {
    const value = await this.redis.get(positionKey(spaceId));
    const [mediaSequence, decodeTime, discontinuitySequence] = (value ?? "").split(" ").map(Number);
    if (
      !Number.isSafeInteger(mediaSequence) ||
      !Number.isSafeInteger(decodeTime) ||
      !Number.isSafeInteger(discontinuitySequence)
    ) {
      return null;
    }
    return {
      mediaSequence: mediaSequence as number,
      decodeTime: decodeTime as number,
      discontinuitySequence: discontinuitySequence as number,
    };
  }
}

function epochKey(spaceId: string): string {
  return `amphi:lease-epoch:{${spaceId}}`;
}

function positionKey(spaceId: string): string {
  return `amphi:stream:{${spaceId}}`;
}

function leaseKey(spaceId: string): string {
  return `amphi:lease:{${spaceId}}`;
}

function leaseValue(lease: MediaLease): string {
  return `${lease.epoch} ${lease.name} ${lease.url}`;
}
