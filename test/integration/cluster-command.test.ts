/**
 * `amphi cluster`: a real local fleet (PostgreSQL, Redis, two API nodes, a media node, HAProxy,
 * an nginx edge) driven through the CLI, as an operator would. Losing an API node mid-burst
 * must cost no request: the balancer retries it on the other node.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { childrenOf, processState } from "../../src/tools/system/process-table.ts";
import { type LocalCluster, startCluster } from "../support/cluster.ts";

let cluster: LocalCluster | undefined;

beforeAll(async () => {
  cluster = await startCluster({
    api: 2,
    media: 1,
    edges: 1,
    // The burst below comes from one address: no per-address ticket limit for it.
    env: { NETWORK_LIMIT_EXEMPT: "127.0.0.1" },
  });
}, 240_000);

afterAll(async () => {
  await cluster?.down();
}, 120_000);

const running = () => {
  if (!cluster) throw new Error("the cluster did not start");
  return cluster;
};

const randomId = () => randomBytes(8).toString("hex");

interface BurstOutcome {
  answered: number;
  failures: string[];
}

/**
 * Ticket requests from `workers` clients in a loop until `stop()`. Every one must get the
 * application's own answer (404: no such Space), never a balancer error or a broken connection.
 */
function ticketBurst(url: string, workers: number) {
  const outcome: BurstOutcome = { answered: 0, failures: [] };
  let stopped = false;
  const worker = async () => {
    while (!stopped) {
      try {
        const response = await fetch(`${url}/api/spaces/${randomId()}/tickets`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
          signal: AbortSignal.timeout(15_000),
        });
        const body = await response.text();
        if (response.status === 404 && body.includes("AMPHI_SPACE_NOT_FOUND")) outcome.answered++;
        else outcome.failures.push(`${response.status} ${body.slice(0, 200)}`);
      } catch (error) {
        outcome.failures.push(String((error as Error).cause ?? error));
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  return {
    outcome,
    stop: async () => {
      stopped = true;
      await done;
      return outcome;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("amphi cluster", () => {
  test("up writes cluster.json with the contract's fields, and prints it", () => {
    const { dir, info } = running();
    expect(JSON.parse(readFileSync(join(dir, "cluster.json"), "utf8"))).toEqual(info);
    const http = /^http:\/\/127\.0\.0\.1:[0-9]+$/;
    expect(info.entry).toBe(info.edges[0]);
    expect(info.edges).toHaveLength(1);
    expect(info.balancer).toMatch(http);
    expect(info.api.map((node) => node.name)).toEqual(["api-1", "api-2"]);
    expect(info.media.map((node) => node.name)).toEqual(["media-1"]);
    for (const node of [...info.api, ...info.media]) {
      expect(node.url).toMatch(http);
      expect(node.pid).toBeGreaterThan(0);
    }
    expect(info.postgres.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:[0-9]+\/amphi$/);
    expect(info.redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:[0-9]+$/);
    expect(info.postgres.pid).toBeGreaterThan(0);
    expect(info.redis.pid).toBeGreaterThan(0);
    // The nodes' shared keys: readable by the owner only.
    expect(statSync(join(dir, "secrets.json")).mode & 0o777).toBe(0o600);
  });

  test("the edge and the balancer reach the API nodes", async () => {
    const { info } = running();
    const document = await fetch(`${info.entry}/api/spaces/${randomId()}`);
    expect(document.status).toBe(404);
    expect(((await document.json()) as { error: { code: string } }).error.code).toBe(
      "AMPHI_SPACE_NOT_FOUND",
    );
    const health = await fetch(`${info.balancer}/healthz`);
    expect(health.status).toBe(200);
  });

  test("killing api-1 in the middle of a burst of ticket requests costs no request", async () => {
    const { info } = running();
    const pid = info.api[0]?.pid ?? 0;
    const burst = ticketBurst(info.balancer, 8);
    await sleep(1000);
    expect(burst.outcome.answered).toBeGreaterThan(0);
    // A node answers a ticket in a millisecond or two, so a SIGKILL alone often finds nothing
    // in flight. Frozen first, api-1 holds the requests the balancer sends it until it is
    // marked down (checks time out after 2.5 s, twice): those are in flight when it dies. A
    // balancer without L7 retries (retry-on, redispatch) fails every one of them.
    process.kill(pid, "SIGSTOP");
    await sleep(700);
    await running().kill("api-1");
    expect(processState(pid)).not.toBe("running");
    const atKill = burst.outcome.answered;
    await sleep(1500);
    const outcome = await burst.stop();
    expect(outcome.failures).toEqual([]);
    expect(outcome.answered).toBeGreaterThan(atKill);
    // And after the burst, with api-1 out of rotation, still every answer.
    for (let i = 0; i < 10; i++) {
      expect((await fetch(`${info.balancer}/healthz`)).status).toBe(200);
    }
  });

  test("start brings api-1 back on the same port; status reports it", async () => {
    const before = running().info.api[0];
    const member = await running().start("api-1");
    expect(member.port).toBe(before?.port);
    expect(member.url).toBe(before?.url);
    expect(member.pid).not.toBe(before?.pid);
    expect(running().info.api[0]?.pid).toBe(member.pid);
    expect((await fetch(`${member.url}/readyz`)).status).toBe(200);
    const status = await running().status();
    expect(status.find((row) => row.name === "api-1")).toMatchObject({
      url: member.url,
      pid: member.pid,
      alive: true,
      ready: true,
    });
    expect(status.map((row) => row.name)).toEqual([
      "postgres",
      "redis",
      "api-1",
      "api-2",
      "media-1",
      "balancer",
      "edge-1",
    ]);
    expect(status.filter((row) => !row.alive || !row.ready)).toEqual([]);
  });

  test("down leaves none of the recorded processes running", async () => {
    const { info } = running();
    const edgePid = info.edgeMembers[0]?.pid ?? 0;
    const pids = [
      ...[...info.api, ...info.media, info.postgres, info.redis, info.balancerMember],
      ...info.edgeMembers,
    ].map((member) => member.pid ?? 0);
    const workers = childrenOf(edgePid);
    expect(workers.length).toBeGreaterThan(0);
    await running().down();
    cluster = undefined;
    // A zombie (exited, not reaped by this machine's init) is not running.
    expect([...pids, ...workers].filter((pid) => processState(pid) === "running")).toEqual([]);
  });
});
