/**
 * live-push: how long a stage change takes to reach every connected live client. The host
 * mutes and unmutes themselves; each change is timed from the HTTP request to the arrival of
 * the new Space document at each WebSocket client. Baseline: the same with one client, in the
 * same run; the ratio shows what fan-out to a crowd adds. Server in its own process.
 */
import { startAmphiProcess } from "../test/support/amphi-process.ts";
import { api, signUp } from "../test/support/amphi-test-server.ts";
import { LiveClient } from "../test/support/live-client.ts";
import type { BenchResult } from "./run.ts";
import { percentile, round, withTempDir } from "./support.ts";

const crowd = Number(process.env.BENCH_CLIENTS ?? 1000);
const changes = 20;

async function measure(
  base: string,
  spaceId: string,
  host: { token: string; handle: string },
  token: string,
  clients: number,
) {
  const sockets: LiveClient[] = [];
  for (let i = 0; i < clients; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, clients - i) }, () =>
        LiveClient.connect(base, spaceId, token),
      ),
    );
    sockets.push(...batch);
  }
  await Promise.all(sockets.map((s) => s.next((m) => m.type === "space", 30_000)));
  const all: number[] = [];
  const slowest: number[] = [];
  for (let i = 0; i < changes; i++) {
    const verb = i % 2 === 0 ? "unmute" : "mute";
    const waits = sockets.map((s) =>
      s.nextNew((m) => m.type === "space", 10_000).then(() => performance.now()),
    );
    const t0 = performance.now();
    const res = await api(
      base,
      "POST",
      `/api/spaces/${spaceId}/participants/${host.handle}/${verb}`,
      { token: host.token },
    );
    if (res.status !== 200) throw new Error(`stage change failed: ${res.status}`);
    const arrivals = (await Promise.all(waits)).map((t) => t - t0);
    all.push(...arrivals);
    slowest.push(Math.max(...arrivals));
  }
  for (const s of sockets) s.close();
  return {
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    lastClientP50: percentile(slowest, 50),
  };
}

export async function run(): Promise<BenchResult> {
  return withTempDir(async (dataDir) => {
    // 40 stage changes in a few seconds from one host: above the default per-person limit.
    const amphi = await startAmphiProcess({ dataDir, env: { STAGE_ACTIONS_PER_SECOND: "100" } });
    try {
      const host = await signUp(amphi.url);
      const listener = await signUp(amphi.url);
      const created = await api(amphi.url, "POST", "/api/spaces", {
        token: host.token,
        body: { title: "Bench", startNow: true },
      });
      const id = created.body.space.id as string;
      const one = await measure(amphi.url, id, host, listener.token, 1);
      const many = await measure(amphi.url, id, host, listener.token, crowd);
      return {
        summary: `stage change to ${crowd} clients: p50 ${round(many.p50)} ms, p95 ${round(many.p95)} ms, last client p50 ${round(many.lastClientP50)} ms; 1 client p50 ${round(one.p50)} ms (x${round(many.p50 / one.p50)})`,
        figures: {
          changes,
          clients: crowd,
          oneClientMs: { p50: round(one.p50), p95: round(one.p95), p99: round(one.p99) },
          crowdMs: {
            p50: round(many.p50),
            p95: round(many.p95),
            p99: round(many.p99),
            lastClientP50: round(many.lastClientP50),
          },
          crowdOverOneP50: round(many.p50 / one.p50, 2),
          target: "every client within 200 ms",
        },
      };
    } finally {
      await amphi.stop();
    }
  });
}
