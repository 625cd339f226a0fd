import { describe, expect, test } from "vitest";
import { ClusterPlanError, checkCounts, planCluster, portsNeeded } from "./cluster-plan.ts";

const ports = (n: number) => Array.from({ length: n }, (_, i) => 20_000 + i);

describe("checkCounts", () => {
  test("at least one API node and one media node; edges may be none", () => {
    expect(checkCounts({ api: 1, media: 1, edges: 0 })).toEqual({ api: 1, media: 1, edges: 0 });
    expect(() => checkCounts({ api: 0, media: 1, edges: 1 })).toThrow(/--api must be .* 1 to 16/);
    expect(() => checkCounts({ api: 1, media: 0, edges: 1 })).toThrow(/--media/);
    expect(() => checkCounts({ api: 1, media: 1, edges: -1 })).toThrow(/--edges/);
    expect(() => checkCounts({ api: 1.5, media: 1, edges: 1 })).toThrow(ClusterPlanError);
    expect(() => checkCounts({ api: 17, media: 1, edges: 1 })).toThrow(ClusterPlanError);
  });
});

describe("planCluster", () => {
  test("names, ports and URLs of every member, each port used once", () => {
    const counts = { api: 2, media: 2, edges: 2 };
    expect(portsNeeded(counts)).toBe(10);
    const plan = planCluster(counts, ports(10));
    expect(plan.postgres).toMatchObject({
      name: "postgres",
      port: 20_000,
      url: "postgres://postgres@127.0.0.1:20000/amphi",
    });
    expect(plan.redis).toMatchObject({ name: "redis", url: "redis://127.0.0.1:20001" });
    expect(plan.api.map((m) => [m.name, m.url])).toEqual([
      ["api-1", "http://127.0.0.1:20002"],
      ["api-2", "http://127.0.0.1:20003"],
    ]);
    expect(plan.media.map((m) => m.name)).toEqual(["media-1", "media-2"]);
    expect(plan.balancer).toMatchObject({
      name: "balancer",
      url: "http://127.0.0.1:20006",
      statsUrl: "http://127.0.0.1:20007",
    });
    expect(plan.edges.map((m) => [m.name, m.port])).toEqual([
      ["edge-1", 20_008],
      ["edge-2", 20_009],
    ]);
  });

  test("refuses too few or repeated ports", () => {
    const counts = { api: 1, media: 1, edges: 0 };
    expect(() => planCluster(counts, ports(portsNeeded(counts) - 1))).toThrow(ClusterPlanError);
    expect(() => planCluster(counts, [1, 1, 2, 3, 4, 5])).toThrow(ClusterPlanError);
  });
});
