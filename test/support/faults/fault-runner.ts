/**
 * The faults of the suite, each injected through `amphi cluster` (test/support/cluster.ts):
 * SIGKILL of one member, `downMs` without it, then `amphi cluster start` of the same member
 * on the same ports (resolving once it is ready). The media-node fault kills the node that
 * owns the Space now: the holder of the Redis lease `amphi:lease:{spaceId}` ("epoch name url",
 * src/shared-state/redis/redis-placement.ts). PostgreSQL is restarted: killed and started
 * again at once (`downMs` 0).
 */
import { Redis } from "ioredis";
import type { LocalCluster } from "../cluster.ts";

export const FAULTS = ["api-node", "media-node", "redis", "edge", "postgres"] as const;
export type FaultName = (typeof FAULTS)[number];

export interface FaultTimes {
  fault: FaultName;
  /** The cluster member killed. */
  member: string;
  /** Epoch ms. */
  killedAt: number;
  /** When `amphi cluster start` was called. */
  startedAt: number;
  /** When it answered ready. */
  readyAt: number;
}

/** The media node that holds the Space's lease now (its cluster name). */
export async function owningMediaNode(cluster: LocalCluster, spaceId: string): Promise<string> {
  const redis = new Redis(cluster.info.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const value = await redis.get(`amphi:lease:{${spaceId}}`);
    const name = value?.split(" ")[1];
    if (!name) throw new Error(`no lease for Space ${spaceId} (${value})`);
    if (!cluster.info.media.some((m) => m.name === name)) {
      throw new Error(`the lease names ${name}, not a media node of the cluster`);
    }
    return name;
  } finally {
    redis.disconnect();
  }
}

export async function memberFor(
  cluster: LocalCluster,
  fault: FaultName,
  spaceId: string,
): Promise<string> {
  switch (fault) {
    case "api-node":
      return "api-1";
    case "media-node":
      return owningMediaNode(cluster, spaceId);
    case "redis":
      return "redis";
    case "edge":
      return "edge-1";
    case "postgres":
      return "postgres";
  }
}

const epochMs = () => performance.timeOrigin + performance.now();

/** Kills the fault's member, waits `downMs` (0 for PostgreSQL: a restart), starts it again. */
export async function injectFault(
  cluster: LocalCluster,
  fault: FaultName,
  spaceId: string,
  downMs: number,
): Promise<FaultTimes> {
  const member = await memberFor(cluster, fault, spaceId);
  await cluster.kill(member);
  // When the CLI returns the member is gone (it sends SIGKILL, then waits for the pid to
  // vanish). The CLI's own start (node + tsx) takes seconds on a loaded machine: timed from
  // before it, every window began that much before the fault.
  const killedAt = epochMs();
  const wait = fault === "postgres" ? 0 : downMs;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + wait - epochMs())));
  const startedAt = epochMs();
  await cluster.start(member);
  return { fault, member, killedAt, startedAt, readyAt: epochMs() };
}
