import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { EdgeConfigError, renderEdgeNginxConf } from "./nginx-conf.ts";

function integer(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

function workers(value: string): number | "auto" {
  return value === "auto" ? "auto" : integer(value);
}

interface NginxConfFlags {
  origin: string[];
  listen: string;
  prefix: string;
  cacheDir?: string;
  cacheSize: string;
  workers: number | "auto";
  workerConnections: number;
  rlimitNofile: number;
  user?: string;
  lockSeconds: number;
  lockAgeMs: number;
  accessLog?: string;
  hlsUrlSecretFile?: string;
}

/** The origins' HLS_URL_SECRET: from a file (kept out of the process list), else the env. */
function hlsUrlSecret(flags: NginxConfFlags): string {
  if (flags.hlsUrlSecretFile) {
    try {
      return readFileSync(flags.hlsUrlSecretFile, "utf8").trim();
    } catch (error) {
      throw new EdgeConfigError(
        `cannot read ${flags.hlsUrlSecretFile}: ${(error as Error).message}`,
      );
    }
  }
  const fromEnv = process.env.HLS_URL_SECRET;
  if (fromEnv) return fromEnv;
  throw new EdgeConfigError(
    "the edge checks signed LL-HLS URLs: give the origins' secret with --hls-url-secret-file (or HLS_URL_SECRET)",
  );
}

/** `amphi edge ...`: tools for running caching edges in front of Amphi origins. */
export const edgeCommand = new Command("edge").description(
  "caching edges (nginx) in front of Amphi origins",
);

const nginxConf = edgeCommand
  .command("nginx-conf")
  .description("print an nginx.conf for a caching edge (LL-HLS, Space documents) to stdout")
  .addOption(
    new Option("--origin <url>", "an Amphi origin, e.g. http://10.0.0.5:8080 (repeatable)")
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
      .makeOptionMandatory(),
  )
  .requiredOption("--listen <port>", "PORT, ADDRESS:PORT or [IPV6]:PORT to listen on")
  .option(
    "--prefix <dir>",
    "folder for the pid file, error log and temp files",
    "/var/lib/amphi-edge",
  )
  .option("--cache-dir <dir>", "cache folder (default: <prefix>/cache)")
  .option("--cache-size <size>", "largest cache on disk (nginx syntax: 512m, 2g)", "1g")
  .option("--workers <n>", "worker processes, or auto (one per core)", workers, "auto" as const)
  .option("--worker-connections <n>", "connections per worker", integer, 8192)
  .option("--rlimit-nofile <n>", "open files per worker (worker_rlimit_nofile)", integer, 20_000)
  .option("--user <user>", 'workers\' user when nginx starts as root, e.g. "www-data"')
  .option(
    "--lock-seconds <n>",
    "how long requests wait for one filling the same cache entry (> 3 x HLS_SEGMENT_SECONDS)",
    integer,
    15,
  )
  .option(
    "--lock-age-ms <n>",
    "after this long one more request for an entry being filled may go to the origin; also how often waiting requests look again",
    integer,
    100,
  )
  .option("--access-log <file>", "write an access log (off by default)")
  .option(
    "--hls-url-secret-file <file>",
    "a file holding the origins' HLS_URL_SECRET (a single server's: DATA_DIR/hls-url-secret); default: $HLS_URL_SECRET",
  );

nginxConf.action((flags: NginxConfFlags) => {
  try {
    const conf = renderEdgeNginxConf({
      origins: flags.origin,
      hlsUrlSecret: hlsUrlSecret(flags),
      listen: flags.listen,
      prefix: flags.prefix,
      ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
      cacheMaxSize: flags.cacheSize,
      workerProcesses: flags.workers,
      workerConnections: flags.workerConnections,
      workerRlimitNofile: flags.rlimitNofile,
      ...(flags.user ? { user: flags.user } : {}),
      lockSeconds: flags.lockSeconds,
      lockAgeMs: flags.lockAgeMs,
      ...(flags.accessLog ? { accessLog: flags.accessLog } : {}),
    });
    process.stdout.write(conf);
  } catch (error) {
    if (!(error instanceof EdgeConfigError)) throw error;
    nginxConf.error(`amphi edge nginx-conf: ${error.message}`, { exitCode: 2 });
  }
});
