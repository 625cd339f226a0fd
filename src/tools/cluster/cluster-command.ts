/**
 * `amphi cluster ...`: a whole fleet on this machine's loopback (PostgreSQL, Redis, API and
 * media nodes, HAProxy, nginx edges), for trying and testing the fleet roles. See
 * docs/operations.md, "Running a fleet locally".
 */
import { Command, InvalidArgumentError } from "commander";
import { EdgeConfigError } from "../../edge/nginx-conf.ts";
import { PostgresUnavailableError } from "../system/postgres-binaries.ts";
import { clusterDown } from "./cluster-down.ts";
import { ClusterError } from "./cluster-error.ts";
import { ClusterFileError } from "./cluster-file.ts";
import { killClusterMember, startClusterMember } from "./cluster-member-control.ts";
import { ClusterPlanError } from "./cluster-plan.ts";
import { clusterStatus, formatStatusTable } from "./cluster-status.ts";
import { clusterUp } from "./cluster-up.ts";
import { HaproxyConfigError } from "./haproxy-conf.ts";
import { MemberStartError } from "./member-launch.ts";
import { NodeEnvError, parseEnvAssignment } from "./node-env.ts";

const say = (line: string) => process.stderr.write(`amphi cluster: ${line}\n`);

function wholeNumber(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

function seconds(value: string): number {
  const number = wholeNumber(value);
  if (number < 1) throw new InvalidArgumentError("expected at least 1");
  return number;
}

function envAssignment(value: string, previous: Record<string, string> = {}) {
  try {
    const [key, assigned] = parseEnvAssignment(value);
    return { ...previous, [key]: assigned };
  } catch (error) {
    if (error instanceof NodeEnvError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** Errors the user can act on are one line (exit 1); anything else keeps its stack. */
function known(error: unknown): error is Error {
  return [
    ClusterError,
    ClusterFileError,
    ClusterPlanError,
    MemberStartError,
    NodeEnvError,
    HaproxyConfigError,
    EdgeConfigError,
    PostgresUnavailableError,
  ].some((kind) => error instanceof kind);
}

/** Exit 2 for a wrong flag, 1 for a failure (like `amphi edge nginx-conf`). */
function run(command: Command, action: () => Promise<void>): Promise<void> {
  return action().catch((error: unknown) => {
    if (!known(error)) throw error;
    const usage = error instanceof ClusterPlanError || error instanceof NodeEnvError;
    command.error(`amphi cluster ${command.name()}: ${error.message}`, { exitCode: usage ? 2 : 1 });
  });
}

export const clusterCommand = new Command("cluster").description(
  "a local fleet on 127.0.0.1: PostgreSQL, Redis, API and media nodes, HAProxy, nginx edges",
);

const up = clusterCommand
  .command("up")
  .description("start a fleet; prints DIR/cluster.json (entry, balancer, members and pids)")
  .requiredOption("--dir <dir>", "the cluster's folder: cluster.json, logs/, data/, secrets")
  .option("--api <n>", "API nodes behind the balancer (1-16)", wholeNumber, 2)
  .option("--media <n>", "media nodes (1-16)", wholeNumber, 2)
  .option(
    "--edges <n>",
    "nginx edges in front of the balancer (0-16; 0: entry = balancer)",
    wholeNumber,
    2,
  )
  .option("--env <KEY=VALUE>", "a setting for every Amphi node (repeatable)", envAssignment, {})
  .option("--timeout <seconds>", "how long each member may take to be ready", seconds, 120);

up.action(
  (flags: {
    dir: string;
    api: number;
    media: number;
    edges: number;
    env: Record<string, string>;
    timeout: number;
  }) =>
    run(up, async () => {
      const file = await clusterUp({
        dir: flags.dir,
        counts: { api: flags.api, media: flags.media, edges: flags.edges },
        env: flags.env,
        timeoutMs: flags.timeout * 1000,
        say,
      });
      process.stdout.write(`${JSON.stringify(file, null, 2)}\n`);
    }),
);

const down = clusterCommand
  .command("down")
  .description("stop every member `up` started (SIGTERM, SIGKILL after the grace period)")
  .requiredOption("--dir <dir>", "the cluster's folder")
  .option("--grace <seconds>", "how long a member may take to stop", seconds, 15);

down.action((flags: { dir: string; grace: number }) =>
  run(down, () => clusterDown({ dir: flags.dir, graceMs: flags.grace * 1000, say })),
);

const kill = clusterCommand
  .command("kill")
  .description(
    "SIGKILL one member, as a crash would (api-1, media-2, redis, postgres, edge-1, balancer)",
  )
  .requiredOption("--dir <dir>", "the cluster's folder")
  .argument("<name>", "the member");

kill.action((name: string, flags: { dir: string }) =>
  run(kill, async () => {
    const outcome = await killClusterMember(flags.dir, name);
    say(
      outcome === "killed"
        ? `${name} killed`
        : outcome === "pid reused"
          ? `${name} is not running (its pid belongs to another program now)`
          : `${name} is not running`,
    );
  }),
);

const start = clusterCommand
  .command("start")
  .description("start one member again on its ports; waits until it is ready")
  .requiredOption("--dir <dir>", "the cluster's folder")
  .argument("<name>", "the member")
  .option("--timeout <seconds>", "how long it may take to be ready", seconds, 120);

start.action((name: string, flags: { dir: string; timeout: number }) =>
  run(start, async () => {
    const member = await startClusterMember({
      dir: flags.dir,
      name,
      timeoutMs: flags.timeout * 1000,
      say,
    });
    process.stdout.write(`${JSON.stringify(member)}\n`);
  }),
);

const status = clusterCommand
  .command("status")
  .description("each member: name, url, pid, alive (process runs), ready (answers)")
  .requiredOption("--dir <dir>", "the cluster's folder")
  .option("--json", "print JSON");

status.action((flags: { dir: string; json?: boolean }) =>
  run(status, async () => {
    const rows = await clusterStatus(flags.dir);
    process.stdout.write(
      flags.json ? `${JSON.stringify(rows, null, 2)}\n` : formatStatusTable(rows),
    );
  }),
);
