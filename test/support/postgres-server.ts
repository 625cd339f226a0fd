/**
 * Starts a throw-away PostgreSQL server for the tests: a fresh cluster in a temp folder,
 * listening only on 127.0.0.1 at a free port, its unix socket inside that folder, with
 * fsync off and trust authentication. Used once per run by global-setup.ts.
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";

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

export class PostgresUnavailableError extends Error {
  override name = "PostgresUnavailableError";
}

const installHint =
  "Install it with `bash scripts/ensure-system-deps.sh` (it runs `apt-get install postgresql` " +
  "on Debian/Ubuntu), or set AMPHI_TEST_POSTGRES_URL to a server of your own.";

interface Binaries {
  bin: string;
  version: number;
}

function hasServerBinaries(dir: string): boolean {
  return ["initdb", "postgres"].every((name) => existsSync(join(dir, name)));
}

async function versionOf(bin: string): Promise<number> {
  const out = await run(join(bin, "postgres"), ["--version"], {});
  const match = /(\d+)(?:\.\d+)?/.exec(out.stdout);
  return match ? Number(match[1]) : 0;
}

/** The newest server binaries: /usr/lib/postgresql/N/bin first, then `initdb` on PATH. */
export async function findPostgresBinaries(
  search: { root?: string; path?: string } = {},
): Promise<Binaries> {
  const root = search.root ?? "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name) && hasServerBinaries(join(root, name, "bin")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) {
      return { bin: join(root, versions[0], "bin"), version: Number.parseInt(versions[0], 10) };
    }
  }
  for (const dir of (search.path ?? process.env.PATH ?? "").split(delimiter)) {
    if (!dir || !existsSync(join(dir, "initdb"))) continue;
    // /usr/local/bin/initdb is often a link into the real bin folder, where postgres lives too.
    const bin = dirname(realpathSync(join(dir, "initdb")));
    if (hasServerBinaries(bin)) return { bin, version: await versionOf(bin) };
  }
  throw new PostgresUnavailableError(
    `PostgreSQL server binaries (initdb, postgres) were not found in ${root}/*/bin or on PATH. ${installHint}`,
  );
}

/** Postgres refuses to run as root: under root, the cluster belongs to the `postgres` user. */
function serverUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  const passwd = existsSync("/etc/passwd") ? readFileSync("/etc/passwd", "utf8") : "";
  for (const line of passwd.split("\n")) {
    const [name, , uid, gid] = line.split(":");
    if (name === "postgres" && uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  throw new PostgresUnavailableError(
    "Running as root, and PostgreSQL refuses to run as root, but there is no `postgres` system " +
      `user to run it as (the postgresql package creates it). ${installHint}`,
  );
}

interface RunResult {
  stdout: string;
  stderr: string;
}

function run(
  file: string,
  args: string[],
  options: { uid?: number; gid?: number; cwd?: string },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...options, env: serverEnv() }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}\n${stdout}${stderr}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

/** The caller's environment without variables that would point the server elsewhere. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C", LANG: "C" };
  for (const key of Object.keys(env)) if (key.startsWith("PG")) delete env[key];
  return env;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
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

const initdbOptions = [
  "--username",
  "postgres",
  "--auth",
  "trust",
  "--encoding",
  "UTF8",
  "--locale",
  "C",
  "--no-sync",
  "--no-instructions",
  // 1 MB WAL segments instead of 16: a smaller cluster to copy.
  "--wal-segsize=1",
];

/**
 * A freshly initialised cluster, kept in the temp folder and copied for each run: `initdb`
 * takes about a second, a copy a tenth of that. Keyed by the binaries, their options and the
 * owner, and written under a temporary name then renamed, so a half-built one is never used.
 */
async function clusterTemplate(
  bin: string,
  version: number,
  owner: { uid?: number; gid?: number },
): Promise<string> {
  const key = createHash("sha256")
    .update(JSON.stringify([bin, statSync(join(bin, "postgres")).mtimeMs, initdbOptions, owner]))
    .digest("hex")
    .slice(0, 12);
  const template = join(tmpdir(), `amphi-pg-template-${version}-${key}`);
  if (existsSync(join(template, "PG_VERSION"))) return template;
  const building = mkdtempSync(join(tmpdir(), "amphi-pg-template-build-"));
  try {
    if (owner.uid !== undefined && owner.gid !== undefined) {
      chownSync(building, owner.uid, owner.gid);
    }
    const data = join(building, "data");
    await run(join(bin, "initdb"), ["--pgdata", data, ...initdbOptions], {
      ...owner,
      cwd: building,
    });
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
  const user = serverUser();
  const owner = user ? { uid: user.uid, gid: user.gid } : {};
  const dir = mkdtempSync(join(tmpdir(), "amphi-pg-"));
  const data = join(dir, "data");
  try {
    if (user) chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
    const template = await clusterTemplate(bin, version, owner);
    // cp -a keeps the owner and the 0700 mode postgres insists on.
    await run("cp", ["-a", template, data], {});
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
  owner: { uid?: number; gid?: number };
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
    ...owner,
    cwd: dir,
    env: serverEnv(),
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
