import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StatsDelta } from "../stats/stats-types.ts";
import type { RunSettings } from "./run-settings.ts";
import type { FromWorker, ToWorker } from "./worker-protocol.ts";

const workerScript = fileURLToPath(new URL("./worker-main.ts", import.meta.url));
/** `--import tsx` by absolute URL: a bare "tsx" would be looked up from the operator's cwd. */
const tsxLoader = import.meta.resolve("tsx");

export interface PoolResult {
  notArrived: number;
  /** Workers that failed or never reported their last figures. */
  lost: string[];
}

/**
 * Load-test worker processes: each runs every `count`-th client of the plan. The pool forks
 * them (`node --import tsx`), waits until all are ready, starts them on one shared clock,
 * hands each stats delta to `onDelta`, and resolves once all have reported their last figures
 * or exited. A worker that has not finished `deadlineMs` after the start is killed.
 */
export class WorkerPool {
  private readonly children: ChildProcess[] = [];

  private constructor(private readonly count: number) {}

  static async fork(count: number, timeoutMs = 60_000): Promise<WorkerPool> {
    const pool = new WorkerPool(count);
    const ready: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const child = fork(workerScript, [], {
        execArgv: ["--import", tsxLoader],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      pool.children.push(child);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`worker ${i} did not start`)), timeoutMs);
          child.on("message", (m: FromWorker) => {
            if (m.type === "ready") {
              clearTimeout(timer);
              resolve();
            }
          });
          child.once("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`worker ${i} exited with ${code} before starting`));
          });
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      pool.kill();
      throw error;
    }
    return pool;
  }

  run(
    settings: (index: number) => RunSettings,
    onDelta: (delta: StatsDelta) => void,
    deadlineMs: number,
  ): Promise<PoolResult> {
    let notArrived = 0;
    const lost: string[] = [];
    const finished = this.children.map(
      (child, index) =>
        new Promise<void>((resolve) => {
          let done = false;
          child.on("message", (m: FromWorker) => {
            if (m.type === "stats") onDelta(m.delta);
            else if (m.type === "done") {
              done = true;
              onDelta(m.delta);
              notArrived += m.notArrived;
            } else if (m.type === "failed") {
              lost.push(`worker ${index}: ${m.message}`);
            }
          });
          child.once("exit", (code) => {
            if (!done && !lost.some((l) => l.startsWith(`worker ${index}:`))) {
              lost.push(`worker ${index}: exited with ${code} without its last figures`);
            }
            resolve();
          });
          this.send(child, {
            type: "start",
            settings: settings(index),
            share: { index, count: this.count },
          });
        }),
    );
    const deadline = setTimeout(() => this.kill(), deadlineMs);
    return Promise.all(finished).then(() => {
      clearTimeout(deadline);
      return { notArrived, lost };
    });
  }

  stop(): void {
    for (const child of this.children) this.send(child, { type: "stop" });
  }

  kill(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill("SIGKILL");
  }

  private send(child: ChildProcess, message: ToWorker): void {
    if (child.connected) child.send(message);
  }
}
