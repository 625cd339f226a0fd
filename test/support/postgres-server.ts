/**
 * Starts a throw-away PostgreSQL server for the tests: a fresh cluster in a temp folder,
 * listening only on 127.0.0.1 at a free port, its unix socket inside that folder, with
 * fsync off and trust authentication. Used once per run by global-setup.ts.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/tools/system/free-port.ts";
import {
  findPostgresBinaries as findSystemPostgresBinaries,
  type PostgresBinaries,
  PostgresUnavailableError,
} from "../../src/tools/system/postgres-binaries.ts";
import { initdb, initdbOptions } from "../../src/tools/system/postgres-initdb.ts";
import { postgresServerEnv } from "../../src/tools/system/postgres-server-env.ts";
import {
  postgresServerUser,
  type ServerUser,
} from "../../src/tools/system/postgres-server-user.ts";
import { runCommand } from "../../src/tools/system/run-command.ts";

export { PostgresUnavailableError };

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: the maintenance database. */
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** PostgreSQL major version of the binaries used. */
  version: number;
  /** The temp folder holding the cluster, the socket and the log; removed by stop(). */
  dir: string;
  /** Fast shutdown, then removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

const testHint = "Or set AMPHI_TEST_POSTGRES_URL to a server of your own.";

/** The system's server binaries (src/tools/system), with the tests' own way out in the error. */
export async function findPostgresBinaries(
  search: { root?: string; path?: string } = {},
): Promise<PostgresBinaries> {
  try {
    return await findSystemPostgresBinaries(search);
  } catch (error) {
    if (error instanceof PostgresUnavailableError) {
      throw new PostgresUnavailableError(`${error.message} ${testHint}`);
    }
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Postmasters this process started and has not stopped yet, killed if the process exits. */
const running = new Map<number, string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    // Immediate shutdown, so no server outlives the test run, even one that ends abruptly.
    for (const [pid, dir] of running) {
      try {
        process.kill(pid, "SIGQUIT");
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * A freshly initialised cluster, kept in the temp folder and copied for each run: `initdb`
 * takes about a second, a copy a tenth of that. Keyed by the binaries, their options and the
 * owner, and written under a temporary name then renamed, so a half-built one is never used.
 */
async function clusterTemplate(
  bin: string,
  version: number,
  owner: ServerUser | null,
): Promise<string> {
  const key = createHash("sha256")
    .update(
      JSON.stringify([bin, statSync(join(bin, "postgres")).mtimeMs, initdbOptions, owner ?? {}]),
    )
    .digest("hex")
    .slice(0, 12);
  const template = join(tmpdir(), `amphi-pg-template-${version}-${key}`);
  if (existsSync(join(template, "PG_VERSION"))) return template;
  const building = mkdtempSync(join(tmpdir(), "amphi-pg-template-build-"));
  try {
    if (owner) chownSync(building, owner.uid, owner.gid);
    const data = join(building, "data");
    await initdb({ bin, dataDir: data, owner, cwd: building });
    try {
      renameSync(data, template);
    } catch (error) {
      // Another run built the same template at the same time: use theirs.
      if (!existsSync(join(template, "PG_VERSION"))) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/** Creates a fresh cluster and starts a server on it; resolves once it accepts connections. */
export async function startPostgres(): Promise<PostgresServer> {
  const { bin, version } = await findPostgresBinaries();
  const owner = postgresServerUser();
  const dir = mkdtempSync(join(tmpdir(), "amphi-pg-"));
  const data = join(dir, "data");
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    chmodSync(dir, 0o700);
    const template = await clusterTemplate(bin, version, owner);
    // cp -a keeps the owner and the 0700 mode postgres insists on.
    await runCommand("cp", ["-a", template, data]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  // The port is free when picked; another process could take it first, so try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch({ bin, version, dir, data, port, owner });
    } catch (error) {
      lastError = error;
      if (!String(error).includes("could not bind") && !String(error).includes("in use")) break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

async function launch(options: {
  bin: string;
  version: number;
  dir: string;
  data: string;
  port: number;
  owner: ServerUser | null;
}): Promise<PostgresServer> {
  const { bin, version, dir, data, port, owner } = options;
  const logFile = join(dir, `postgres-${port}.log`);
  const log = openSync(logFile, "a");
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    port: String(port),
    unix_socket_directories: dir,
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    max_connections: "200",
    shared_buffers: "32MB",
    autovacuum: "off",
  };
  const args = ["-D", data, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const child = spawn(join(bin, "postgres"), args, {
    ...(owner ?? {}),
    cwd: dir,
    env: postgresServerEnv(),
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  // The run's end must not wait on the server: stop() or the exit hook ends it.
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${join(bin, "postgres")}`);
  running.set(pid, dir);
  installExitHook();

  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      running.delete(pid);
      resolve();
    });
  });
  const logText = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");

  // postmaster.pid's 8th line becomes "ready" once connections are accepted (as pg_ctl -w reads).
  const pidFile = join(data, "postmaster.pid");
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`PostgreSQL exited while starting:\n${logText()}`);
    const status = existsSync(pidFile) ? readFileSync(pidFile, "utf8").split("\n")[7] : "";
    if (status?.trim() === "ready") break;
    if (Date.now() > deadline) {
      child.kill("SIGQUIT");
      throw new Error(`PostgreSQL did not become ready in 30 s:\n${logText()}`);
    }
    await sleep(20);
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pid,
    port,
    version,
    dir,
    stop: () => {
      stopping ??= (async () => {
        if (!exited) {
          child.kill("SIGINT"); // fast shutdown: roll back open transactions, close sessions
          const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
          await exit;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
