/**
 * `amphi cluster up`: plans the ports, then starts the members tier by tier (each tier's
 * members together), each waited for until it answers: PostgreSQL and Redis, the Amphi nodes,
 * the balancer, the edges. cluster.json records every pid as soon as the process exists, so a
 * failed or interrupted `up` stops what it started, and `down` can too.
 */
import { freePort, freePorts } from "../system/free-port.ts";
import { portIsFree } from "../system/listening-sockets.ts";
import { clusterDirPath, prepareClusterDir } from "./cluster-dir.ts";
import { stopTiers } from "./cluster-down.ts";
import { ClusterError } from "./cluster-error.ts";
import {
  type ClusterFile,
  clusterFileFromPlan,
  type MemberEntry,
  memberEntries,
  refreshEntryPoints,
  tryReadClusterFile,
  writeClusterFile,
} from "./cluster-file.ts";
import {
  type ClusterCounts,
  checkCounts,
  memberUrl,
  planCluster,
  portsNeeded,
} from "./cluster-plan.ts";
import { loadOrCreateSecrets } from "./cluster-secrets.ts";
import { startTiers } from "./cluster-tiers.ts";
import { driverFor } from "./member-drivers.ts";
import { launchMember } from "./member-launch.ts";
import { runningPid } from "./member-stop.ts";
import { repoRoot } from "./repo-paths.ts";
import { ensureClusterPrograms } from "./system-deps.ts";

export interface UpOptions {
  dir: string;
  counts: ClusterCounts;
  /** `--env` extras for every Amphi node. */
  env: Record<string, string>;
  /** How long each member may take to answer. */
  timeoutMs: number;
  say(line: string): void;
}

/**
 * Ports are picked free at the start, but the nodes take seconds to start and another program
 * may take a later tier's port meanwhile: checked again just before the tier starts, and
 * replaced by a free one (nothing that depends on them has started yet).
 */
async function replaceTakenPorts(
  file: ClusterFile,
  tier: MemberEntry[],
  say: (line: string) => void,
): Promise<void> {
  const planned = new Set(memberEntries(file).map((entry) => entry.member.port));
  const statsPort = () => Number(new URL(file.balancerMember.statsUrl).port);
  planned.add(statsPort());
  const freshPort = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (!planned.has(port)) {
        planned.add(port);
        return port;
      }
    }
  };
  for (const { kind, member } of tier) {
    if (!(await portIsFree(member.port))) {
      const port = await freshPort();
      say(`port ${member.port} of ${member.name} was taken meanwhile: using ${port}`);
      member.port = port;
      member.url = memberUrl(kind, port);
    }
    if (kind === "balancer" && !(await portIsFree(statsPort()))) {
      file.balancerMember.statsUrl = memberUrl("balancer", await freshPort());
    }
  }
  refreshEntryPoints(file);
}

export async function clusterUp(options: UpOptions): Promise<ClusterFile> {
  const dir = clusterDirPath(options.dir);
  const counts = checkCounts(options.counts);
  const previous = tryReadClusterFile(dir);
  if (previous) {
    const ctx = { dir, file: previous };
    const running = memberEntries(previous).filter((entry) => runningPid(ctx, entry) !== null);
    if (running.length > 0) {
      throw new ClusterError(
        `a cluster is already running in ${dir} (${running.map((e) => e.member.name).join(", ")}): ` +
          `run \`amphi cluster down --dir ${dir}\` first`,
      );
    }
  }
  await ensureClusterPrograms(repoRoot, options.say);
  prepareClusterDir(dir);
  // Made once and kept: a second `up` in the same folder keeps its database and its keys.
  loadOrCreateSecrets(dir);
  const plan = planCluster(counts, await freePorts(portsNeeded(counts)));
  const file = clusterFileFromPlan({
    plan,
    dir,
    repo: repoRoot,
    env: options.env,
    now: new Date(),
  });
  writeClusterFile(dir, file);
  const ctx = { dir, file };

  // Ctrl-C while starting: stop what was started rather than leave half a fleet running.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    options.say(`${signal}: stopping what was started`);
    void stopTiers(ctx, startTiers(file).reverse(), 10_000, options.say).finally(() =>
      process.exit(130),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    for (const tier of startTiers(file)) {
      await replaceTakenPorts(file, tier, options.say);
      writeClusterFile(dir, file);
      const results = await Promise.allSettled(
        tier.map(async ({ kind, member }) => {
          const pid = await launchMember({
            ctx,
            driver: driverFor(kind),
            member,
            timeoutMs: options.timeoutMs,
            onSpawned: (spawned) => {
              member.pid = spawned;
              writeClusterFile(dir, file);
            },
          });
          options.say(`${member.name} ready at ${member.url} (pid ${pid})`);
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    }
  } catch (error) {
    options.say("start failed: stopping what was started");
    await stopTiers(ctx, startTiers(file).reverse(), 10_000, options.say);
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return file;
}
