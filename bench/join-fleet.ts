/**
 * The fleet half of the `join` benchmark: tickets per second through HAProxy in front of N API
 * nodes of a real local fleet (`amphi cluster up`: PostgreSQL, Redis, one media node, no
 * edges), with the same closed-loop autocannon as the single-process run, and a bare
 * `GET /healthz` through the same balancer as its baseline. Run with N = 1 and N = 2: the
 * ratio says how far a second API node carries the join path on this machine.
 */
import { readFileSync } from "node:fs";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import { startCluster } from "../test/support/cluster.ts";
import { cpuSeconds } from "./support.ts";

export interface FleetCannon {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  byStatus: Record<string, number>;
}

export type CannonRun = (
  url: string,
  options: { method?: string; body?: string; connections: number },
) => Promise<FleetCannon>;

/** CPU seconds the whole machine has been busy (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]?.split(/\s+/).slice(1) ?? [];
  const [user, nice, system, , , irq, softirq, steal] = cpu.map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
  );
}

export interface FleetJoinRun {
  apiNodes: number;
  /** Cores each part used during the ticket run (CPU seconds / wall seconds). */
  cores: { apiNodes: number; balancer: number; redis: number; media: number; machine: number };
  tickets: FleetCannon;
  healthz: FleetCannon;
  /** Tickets answered 200 or 202 per second (the rest, if any, are listed in byStatus). */
  answeredPerSecond: number;
}

export async function measureFleetJoin(apiNodes: number, cannon: CannonRun): Promise<FleetJoinRun> {
  const cluster = await startCluster({
    api: apiNodes,
    media: 1,
    edges: 0,
    env: {
      // Every arrival admitted: this measures the nodes, not the gate's queue.
      ADMIT_RATE_PER_SECOND: "1000000",
      NETWORK_LIMIT_EXEMPT: "127.0.0.0/8",
      ATTACK_MODE: "off",
      LOG_LEVEL: "warn",
      LOAD_SHED_LAG_MS: "100",
      LOAD_SHED_CRITICAL_LAG_MS: "2000",
    },
  });
  try {
    const base = cluster.info.balancer;
    const host = await signUp(base);
    const created = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Join bench (fleet)", startNow: true },
    });
    const tickets = `${base}/api/spaces/${created.body.space.id}/tickets`;
    // Warm-up: JIT on every node, connections through the balancer.
    await cannon(tickets, { method: "POST", body: "{}", connections: 8 });
    const healthz = await cannon(`${base}/healthz`, { connections: 64 });
    const { info } = cluster;
    const sample = () => ({
      api: info.api.reduce((sum, n) => sum + cpuSeconds(n.pid), 0),
      balancer: cpuSeconds(info.balancerMember.pid),
      redis: cpuSeconds(info.redis.pid),
      media: info.media.reduce((sum, n) => sum + cpuSeconds(n.pid), 0),
      machine: machineBusySeconds(),
      at: performance.now(),
    });
    const before = sample();
    const run = await cannon(tickets, { method: "POST", body: "{}", connections: 64 });
    const after = sample();
    const wall = (after.at - before.at) / 1000;
    const cores = (k: "api" | "balancer" | "redis" | "media" | "machine") =>
      Math.round(((after[k] - before[k]) / wall) * 100) / 100;
    const answered = (run.byStatus["200"] ?? 0) + (run.byStatus["202"] ?? 0);
    const total = Object.values(run.byStatus).reduce((a, b) => a + b, 0);
    return {
      apiNodes,
      cores: {
        apiNodes: cores("api"),
        balancer: cores("balancer"),
        redis: cores("redis"),
        media: cores("media"),
        machine: cores("machine"),
      },
      tickets: run,
      healthz,
      answeredPerSecond: total > 0 ? (run.requestsPerSecond * answered) / total : 0,
    };
  } finally {
    await cluster.down();
  }
}
