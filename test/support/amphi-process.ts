import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_HLS_URL_SECRET } from "./signed-hls.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface AmphiProcess {
  url: string;
  child: ChildProcess;
  /** Every log line printed so far (pino JSON). */
  logs: string[];
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Runs `amphi serve` as its own process, the way `npm start` does (without rebuilding the
 * web app), on a random loopback port (or `port`: a restart on the port of a process that
 * died); resolves once it logs that it is listening.
 */
export async function startAmphiProcess(options: {
  dataDir: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  port?: number;
}): Promise<AmphiProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/main.ts",
      "serve",
      "--port",
      String(options.port ?? 0),
      "--host",
      "127.0.0.1",
      "--data-dir",
      options.dataDir,
    ],
    {
      cwd: root,
      // Info level at least: the "amphi listening" line is how the caller learns the URL.
      env: {
        ...process.env,
        // The test machine is shared and noisy: event-loop lag there is not overload. The
        // shedding has tests of its own (src/protection).
        LOAD_SHED_LAG_MS: "60000",
        LOAD_SHED_CRITICAL_LAG_MS: "60000",
        // Tests create many Spaces per host; the limits have tests of their own.
        MAX_LIVE_SPACES_PER_ACCOUNT: "1000",
        SPACE_CREATIONS_PER_HOUR: "100000",
        HLS_URL_SECRET: TEST_HLS_URL_SECRET,
        ...options.env,
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`amphi did not start in time:\n${logs.join("\n")}`));
    }, options.timeoutMs ?? 60_000);
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        logs.push(line);
        if (line.includes('"amphi listening"')) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url);
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`amphi exited with ${code} before listening:\n${logs.join("\n")}`));
    });
  });
  return {
    url,
    child,
    logs,
    exited,
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
