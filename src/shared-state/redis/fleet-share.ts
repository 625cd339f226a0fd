import type { Redis } from "ioredis";

export type NodeRole = "all" | "api" | "media";

/**
 * Which nodes are alive, by role: each node stamps itself every `beatMs` into a sorted set
 * per role; a node unseen for `staleMs` no longer counts. A node remembers the last count it
 * read, so while Redis is down it still knows its share of the fleet's limits.
 */
export class FleetShare {
  private readonly counts = new Map<NodeRole, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly node: { name: string; role: NodeRole },
    private readonly options: { beatMs?: number; staleMs?: number; now?: () => number } = {},
  ) {}

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.beatMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** This node's share of the join path (1 / API nodes alive; an `all` node serves it too). */
  apiShare(): number {
    const serving = (this.counts.get("api") ?? 0) + (this.counts.get("all") ?? 0);
    return 1 / Math.max(1, serving);
  }

  alive(role: NodeRole): number {
    return this.counts.get(role) ?? 0;
  }

  async beat(): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    const stale = now - (this.options.staleMs ?? 10_000);
    try {
      await this.redis.zadd(`amphi:nodes:${this.node.role}`, now, this.node.name);
      for (const role of ["all", "api", "media"] as const) {
        const key = `amphi:nodes:${role}`;
        await this.redis.zremrangebyscore(key, "-inf", `(${stale}`);
        this.counts.set(role, await this.redis.zcard(key));
      }
    } catch {
      // Redis down: keep the last counts read.
    }
  }

  async leave(): Promise<void> {
    await this.redis.zrem(`amphi:nodes:${this.node.role}`, this.node.name).catch(() => {});
  }
}
