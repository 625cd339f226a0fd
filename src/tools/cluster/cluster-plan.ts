/**
 * The shape of a local fleet, decided before anything starts: which members, their names and
 * their loopback ports and URLs. Pure: counts and free ports in, plan out.
 */

export interface ClusterCounts {
  api: number;
  media: number;
  edges: number;
}

export type MemberKind = "postgres" | "redis" | "api" | "media" | "balancer" | "edge";

export interface PlannedMember {
  kind: MemberKind;
  /** `postgres`, `redis`, `api-1`, `media-2`, `balancer`, `edge-1`: what `kill`/`start` take. */
  name: string;
  port: number;
  /** How clients reach it: http://, postgres:// or redis://. */
  url: string;
}

export interface ClusterPlan {
  postgres: PlannedMember;
  redis: PlannedMember;
  api: PlannedMember[];
  media: PlannedMember[];
  balancer: PlannedMember & { statsPort: number; statsUrl: string };
  edges: PlannedMember[];
}

export class ClusterPlanError extends Error {
  override name = "ClusterPlanError";
}

export const HOST = "127.0.0.1";
/** The database the Amphi nodes use on the cluster's PostgreSQL. */
export const DATABASE_NAME = "amphi";

/**
 * Bounds of each count. At least one API node (the balancer needs a server) and one media
 * node (live Spaces need an owner); edges are optional (then listeners use the balancer).
 * The upper bound stops a typo from starting hundreds of processes on a laptop.
 */
export const COUNT_LIMITS: Record<keyof ClusterCounts, { min: number; max: number }> = {
  api: { min: 1, max: 16 },
  media: { min: 1, max: 16 },
  edges: { min: 0, max: 16 },
};

export function checkCounts(counts: ClusterCounts): ClusterCounts {
  for (const key of Object.keys(COUNT_LIMITS) as (keyof ClusterCounts)[]) {
    const { min, max } = COUNT_LIMITS[key];
    const value = counts[key];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new ClusterPlanError(
        `--${key} must be a whole number from ${min} to ${max}, got ${value}`,
      );
    }
  }
  return counts;
}

/** PostgreSQL, Redis, the nodes, the balancer and its stats page, the edges. */
export function portsNeeded(counts: ClusterCounts): number {
  return 2 + counts.api + counts.media + 2 + counts.edges;
}

const http = (port: number) => `http://${HOST}:${port}`;

/** How clients reach a member of this kind on this port. */
export function memberUrl(kind: MemberKind, port: number): string {
  if (kind === "postgres") return `postgres://postgres@${HOST}:${port}/${DATABASE_NAME}`;
  if (kind === "redis") return `redis://${HOST}:${port}`;
  return http(port);
}

export function planCluster(counts: ClusterCounts, ports: readonly number[]): ClusterPlan {
  checkCounts(counts);
  if (new Set(ports).size !== ports.length || ports.length < portsNeeded(counts)) {
    throw new ClusterPlanError(`${portsNeeded(counts)} distinct ports are needed`);
  }
  const queue = [...ports];
  const take = (): number => queue.shift() as number;
  const numbered = (kind: "api" | "media" | "edge", count: number): PlannedMember[] =>
    Array.from({ length: count }, (_, i) => {
      const port = take();
      return { kind, name: `${kind}-${i + 1}`, port, url: memberUrl(kind, port) };
    });
  const postgresPort = take();
  const redisPort = take();
  const api = numbered("api", counts.api);
  const media = numbered("media", counts.media);
  const balancerPort = take();
  const statsPort = take();
  return {
    postgres: {
      kind: "postgres",
      name: "postgres",
      port: postgresPort,
      url: memberUrl("postgres", postgresPort),
    },
    redis: { kind: "redis", name: "redis", port: redisPort, url: memberUrl("redis", redisPort) },
    api,
    media,
    balancer: {
      kind: "balancer",
      name: "balancer",
      port: balancerPort,
      url: http(balancerPort),
      statsPort,
      statsUrl: http(statsPort),
    },
    edges: numbered("edge", counts.edges),
  };
}
