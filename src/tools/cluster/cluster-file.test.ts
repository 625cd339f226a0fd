import { describe, expect, test } from "vitest";
import {
  ClusterFileError,
  clusterFileFromPlan,
  clusterFileSchema,
  findMember,
  memberEntries,
} from "./cluster-file.ts";
import { type ClusterCounts, planCluster, portsNeeded } from "./cluster-plan.ts";
import { startTiers } from "./cluster-tiers.ts";

function fileFor(counts: ClusterCounts) {
  const ports = Array.from({ length: portsNeeded(counts) }, (_, i) => 30_000 + i);
  return clusterFileFromPlan({
    plan: planCluster(counts, ports),
    dir: "/tmp/c",
    repo: "/repo",
    env: { ADMIT_RATE_PER_SECOND: "2" },
    now: new Date("2026-01-01T00:00:00Z"),
  });
}

describe("cluster.json", () => {
  test("the contract's fields; listeners enter through the first edge", () => {
    const file = fileFor({ api: 2, media: 1, edges: 2 });
    expect(clusterFileSchema.parse(JSON.parse(JSON.stringify(file)))).toEqual(file);
    expect(file.entry).toBe(file.edges[0]);
    expect(file.edges).toEqual(file.edgeMembers.map((m) => m.url));
    expect(file.balancer).toBe(file.balancerMember.url);
    expect(file.api[0]).toEqual({
      name: "api-1",
      url: "http://127.0.0.1:30002",
      pid: null,
      port: 30_002,
      log: "/tmp/c/logs/api-1.log",
    });
    expect(file.postgres.url).toBe("postgres://postgres@127.0.0.1:30000/amphi");
    expect(file.redis.url).toBe("redis://127.0.0.1:30001");
  });

  test("without edges, listeners enter through the balancer", () => {
    const file = fileFor({ api: 1, media: 1, edges: 0 });
    expect(file.edges).toEqual([]);
    expect(file.entry).toBe(file.balancer);
  });

  test("members by name, in start order by tier", () => {
    const file = fileFor({ api: 2, media: 1, edges: 1 });
    expect(memberEntries(file).map((e) => e.member.name)).toEqual([
      "postgres",
      "redis",
      "api-1",
      "api-2",
      "media-1",
      "balancer",
      "edge-1",
    ]);
    expect(startTiers(file).map((tier) => tier.map((e) => e.kind))).toEqual([
      ["postgres", "redis"],
      ["api", "api", "media"],
      ["balancer"],
      ["edge"],
    ]);
    expect(findMember(file, "media-1").kind).toBe("media");
    expect(() => findMember(file, "api-3")).toThrow(ClusterFileError);
  });
});
