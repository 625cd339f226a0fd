import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EdgeNginxOptions, renderEdgeNginxConf } from "../../src/edge/nginx-conf.ts";

export interface NginxEdge {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The folder holding nginx.conf, the pid file, the error log, temp files and the cache. */
  prefix: string;
  /** The master process. */
  child: ChildProcess;
  /** The master and its workers: whose CPU a benchmark reads from /proc. */
  pids(): number[];
  errorLog(): string;
  /** Fast shutdown (SIGTERM, SIGKILL after 5 s), then the prefix folder is removed. */
  stop(): Promise<void>;
}

export type StartNginxEdgeOptions = Partial<
  Omit<EdgeNginxOptions, "origins" | "listen" | "prefix">
> & {
  originUrl: string | readonly string[];
  timeoutMs?: number;
};

/** Debian's nginx lives in /usr/sbin, which is not on every PATH. */
export const nginxBinary = existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";

/** A free port on 127.0.0.1 (closed again at once; nginx binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

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

/** Pids whose parent is `pid` (nginx workers), from /proc. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

/**
 * A real nginx (Debian's) running the edge configuration `renderEdgeNginxConf` renders, in
 * front of `originUrl`, on a random loopback port, in a temp prefix folder. As root, the
 * workers run as nobody (nginx creates the cache and temp folders for them).
 */
export async function startNginxEdge(options: StartNginxEdgeOptions): Promise<NginxEdge> {
  const { originUrl, timeoutMs = 10_000, ...rest } = options;
  const prefix = mkdtempSync(join(tmpdir(), "amphi-edge-"));
  // Workers (nobody) must reach the cache folder inside it.
  chmodSync(prefix, 0o755);
  const port = await freePort();
  const conf = renderEdgeNginxConf({
    workerProcesses: 1,
    workerConnections: 8192,
    ...(process.getuid?.() === 0 ? { user: "nobody nogroup" } : {}),
    ...rest,
    origins: typeof originUrl === "string" ? [originUrl] : originUrl,
    listen: `127.0.0.1:${port}`,
    prefix,
  });
  const confFile = join(prefix, "nginx.conf");
  const errorLogFile = join(prefix, "error.log");
  writeFileSync(confFile, conf);
  const child = spawn(
    nginxBinary,
    ["-p", prefix, "-e", errorLogFile, "-c", confFile, "-g", "daemon off;"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const errorLog = () => {
    try {
      return readFileSync(errorLogFile, "utf8");
    } catch {
      return "";
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const workers = child.pid ? childrenOf(child.pid) : [];
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        for (const pid of workers) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = `${stderr}\n${errorLog()}`;
      await stop();
      throw new Error(`nginx did not start on port ${port}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    prefix,
    child,
    pids: () => (child.pid ? [child.pid, ...childrenOf(child.pid)] : []),
    errorLog,
    stop,
  };
}
