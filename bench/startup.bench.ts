/**
 * startup: time from spawning `amphi serve` to "listening", on a fresh data folder (the
 * embedded database is created) and on an existing one (a restart). Baseline: `node -e ""`
 * started the same way, in the same run.
 */
import { spawnSync } from "node:child_process";
import { startAmphiProcess } from "../test/support/amphi-process.ts";
import type { BenchResult } from "./run.ts";
import { percentile, round, withTempDir } from "./support.ts";

const runs = 3;

async function timeStart(dataDir: string): Promise<number> {
  const t = performance.now();
  const p = await startAmphiProcess({ dataDir, env: { LOG_LEVEL: "info" } });
  const ms = performance.now() - t;
  await p.stop();
  return ms;
}

export async function run(): Promise<BenchResult> {
  const node: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ["-e", ""]);
    node.push(performance.now() - t);
  }
  const fresh: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < runs; i++) {
    await withTempDir(async (dir) => {
      fresh.push(await timeStart(dir));
      restart.push(await timeStart(dir));
    });
  }
  const f = percentile(fresh, 50);
  const r = percentile(restart, 50);
  const n = percentile(node, 50);
  return {
    summary: `fresh ${round(f / 1000, 2)} s, restart ${round(r / 1000, 2)} s (median of ${runs}); bare node ${round(n)} ms; restart/bare-node ${round(r / n)}x`,
    figures: {
      runs,
      freshMs: fresh.map((x) => round(x)),
      restartMs: restart.map((x) => round(x)),
      bareNodeMs: node.map((x) => round(x)),
      medianFreshMs: round(f),
      medianRestartMs: round(r),
      restartOverBareNode: round(r / n, 2),
    },
  };
}
