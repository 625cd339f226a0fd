import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EdgeNginxOptions, renderEdgeNginxConf } from "../../src/edge/nginx-conf.ts";
import { freePort } from "../../src/tools/system/free-port.ts";
import {
  nginxArgs,
  nginxBinary,
  nginxWorkerUser,
  prepareNginxPrefix,
} from "../../src/tools/system/nginx.ts";
import { childrenOf } from "../../src/tools/system/process-table.ts";
import { acceptsConnection } from "../../src/tools/system/tcp-probe.ts";
import { TEST_HLS_URL_SECRET } from "./signed-hls.ts";

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
  /** The access log (with cache status and timings) when started with `logAccess`, else "". */
  accessLog(): string;
  /** Fast shutdown (SIGTERM, SIGKILL after 5 s), then the prefix folder is removed. */
  stop(): Promise<void>;
}

export type StartNginxEdgeOptions = Partial<
  Omit<EdgeNginxOptions, "origins" | "listen" | "prefix">
> & {
  originUrl: string | readonly string[];
  timeoutMs?: number;
  /** Log every request to `<prefix>/access.log` (read with `accessLog()`). */
  logAccess?: boolean;
};

export { freePort, nginxBinary };

/**
 * A real nginx (Debian's) running the edge configuration `renderEdgeNginxConf` renders, in
 * front of `originUrl`, on a random loopback port, in a temp prefix folder. As root, the
 * workers run as nobody (nginx creates the cache and temp folders for them).
 */
export async function startNginxEdge(options: StartNginxEdgeOptions): Promise<NginxEdge> {
  const { originUrl, timeoutMs = 10_000, logAccess = false, ...rest } = options;
  const prefix = mkdtempSync(join(tmpdir(), "amphi-edge-"));
  prepareNginxPrefix(prefix);
  const port = await freePort();
  const user = nginxWorkerUser();
  const conf = renderEdgeNginxConf({
    workerProcesses: 1,
    workerConnections: 8192,
    hlsUrlSecret: TEST_HLS_URL_SECRET,
    ...(user ? { user } : {}),
    ...rest,
    ...(logAccess ? { accessLog: join(prefix, "access.log") } : {}),
    origins: typeof originUrl === "string" ? [originUrl] : originUrl,
    listen: `127.0.0.1:${port}`,
    prefix,
  });
  const confFile = join(prefix, "nginx.conf");
  const errorLogFile = join(prefix, "error.log");
  writeFileSync(confFile, conf);
  const child = spawn(nginxBinary, nginxArgs({ prefix, confFile, errorLog: errorLogFile }), {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const readLog = (file: string) => () => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return "";
    }
  };
  const errorLog = readLog(errorLogFile);
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
  while (!(await acceptsConnection("127.0.0.1", port))) {
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
    accessLog: readLog(join(prefix, "access.log")),
    stop,
  };
}
