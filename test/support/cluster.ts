/**
 * A whole local fleet for a test, started the way an operator does: the real CLI,
 * `node --import tsx src/main.ts cluster up --dir <temp>`, then `kill`, `start`, `status` and
 * `down` through it too. `down()` (call it in afterAll) stops everything and removes the
 * folder; members left running by a test run that ends abruptly are killed on exit.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ClusterFile,
  type ClusterMember,
  clusterFileSchema,
  memberEntries,
  readClusterFile,
} from "../../src/tools/cluster/cluster-file.ts";
import { readSecrets } from "../../src/tools/cluster/cluster-secrets.ts";
import type { MemberStatus } from "../../src/tools/cluster/cluster-status.ts";
import { driverFor } from "../../src/tools/cluster/member-drivers.ts";
import { runningPid } from "../../src/tools/cluster/member-stop.ts";
import { signalProcess } from "../../src/tools/system/process-table.ts";
import { signedHlsPath } from "./signed-hls.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface StartClusterOptions {
  api?: number;
  media?: number;
  edges?: number;
  /** `--env KEY=VALUE` for every Amphi node. */
  env?: Record<string, string>;
}

export interface LocalCluster {
  dir: string;
  /** cluster.json as `up` printed it, read again after each `start`. */
  info: ClusterFile;
  /** The signed path of a file of a Space's live stream now (the cluster's HLS_URL_SECRET). */
  hlsPath(spaceId: string, file?: string): string;
  /** `amphi cluster kill`: SIGKILL, as a crash. */
  kill(name: string): Promise<void>;
  /** `amphi cluster start`: resolves with the member (new pid) once it is ready. */
  start(name: string): Promise<ClusterMember>;
  /** `amphi cluster status --json`. */
  status(): Promise<MemberStatus[]>;
  /** `amphi cluster down`, then the folder is removed. Safe to call twice. */
  down(): Promise<void>;
}

interface CliResult {
  stdout: string;
  stderr: string;
}

/**
 * The command's output goes into the error message with each line marked: a child's stack
 * trace must not read as this error's own frames (vitest would look for their source maps).
 */
function quoted(output: string): string {
  return output
    .trimEnd()
    .split("\n")
    .map((line) => `  | ${line}`)
    .join("\n");
}

function cli(args: string[], timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", "cluster", ...args],
      { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const code = error.code ?? error.signal;
          reject(
            new Error(
              `amphi cluster ${args.join(" ")} failed (${code}):\n${quoted(stderr)}\n${quoted(stdout)}`,
            ),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** Clusters not downed yet: killed if the test process exits first. */
const open = new Set<string>();
let exitHookInstalled = false;

function killLeftovers(): void {
  for (const dir of open) {
    try {
      const file = readClusterFile(dir);
      const ctx = { dir, file };
      for (const entry of memberEntries(file)) {
        const pid = runningPid(ctx, entry);
        if (pid === null) continue;
        const helpers = driverFor(entry.kind).helpers?.(pid) ?? [];
        for (const victim of [pid, ...helpers]) signalProcess(victim, "SIGKILL");
      }
    } catch {
      // nothing recorded: nothing to kill
    }
  }
}

export async function startCluster(options: StartClusterOptions = {}): Promise<LocalCluster> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", killLeftovers);
  }
  const dir = mkdtempSync(join(tmpdir(), "amphi-cluster-"));
  const env = {
    // The test machine is shared and noisy: event-loop lag there is not overload.
    LOAD_SHED_LAG_MS: "60000",
    LOAD_SHED_CRITICAL_LAG_MS: "60000",
    ...options.env,
  };
  const args = [
    "up",
    "--dir",
    dir,
    "--api",
    String(options.api ?? 2),
    "--media",
    String(options.media ?? 1),
    "--edges",
    String(options.edges ?? 1),
    ...Object.entries(env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
  ];
  open.add(dir);
  let downed = false;
  const down = async () => {
    if (downed) return;
    await cli(["down", "--dir", dir], 120_000);
    downed = true;
    open.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  let up: CliResult;
  try {
    up = await cli(args, 240_000);
  } catch (error) {
    // `up` stops what it started when it fails; this is for an `up` that was itself killed.
    await down().catch(() => {});
    // Nothing recorded, nothing can be running: the folder can go (otherwise it stays).
    if (!existsSync(join(dir, "cluster.json"))) {
      open.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    }
    throw error;
  }
  const cluster: LocalCluster = {
    dir,
    info: clusterFileSchema.parse(JSON.parse(up.stdout)),
    hlsPath: (spaceId, file = "index.m3u8") =>
      signedHlsPath(spaceId, file, { secret: readSecrets(dir).hlsUrlSecret }),
    kill: async (name) => {
      await cli(["kill", "--dir", dir, name], 60_000);
    },
    start: async (name) => {
      const { stdout } = await cli(["start", "--dir", dir, name], 180_000);
      cluster.info = readClusterFile(dir);
      return JSON.parse(stdout) as ClusterMember;
    },
    status: async () => {
      const { stdout } = await cli(["status", "--dir", dir, "--json"], 60_000);
      return JSON.parse(stdout) as MemberStatus[];
    },
    down,
  };
  return cluster;
}
