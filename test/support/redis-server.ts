import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./nginx-edge.ts";

export interface RedisServer {
  url: string;
  port: number;
  pid(): number | undefined;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const binary = existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * A throw-away Debian redis-server on a free loopback port, without persistence, in a temp
 * folder. Installed by scripts/ensure-system-deps.sh.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "amphi-redis-"));
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(
      binary,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
      ],
      { stdio: "ignore" },
    );
    const until = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (Date.now() > until) throw new Error(`redis-server did not start on ${port}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const halt = async (signal: NodeJS.Signals) => {
    const running = child as ChildProcess | null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once("exit", r));
    running.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => (child as ChildProcess | null)?.pid,
    kill: () => halt("SIGKILL"),
    restart: launch,
    stop: async () => {
      await halt("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
