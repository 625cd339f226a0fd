/** `amphi cluster kill NAME` and `amphi cluster start NAME`: one member at a time. */

import { clusterDirPath } from "./cluster-dir.ts";
import { ClusterError } from "./cluster-error.ts";
import { type ClusterMember, findMember, readClusterFile, recordPid } from "./cluster-file.ts";
import { driverFor } from "./member-drivers.ts";
import { launchMember } from "./member-launch.ts";
import { killMember, runningPid, type StopOutcome } from "./member-stop.ts";

/** SIGKILL, as a crash would: no drain, no clean shutdown (nginx: master and workers). */
export async function killClusterMember(dirOption: string, name: string): Promise<StopOutcome> {
  const dir = clusterDirPath(dirOption);
  const file = readClusterFile(dir);
  return killMember({ dir, file }, findMember(file, name));
}

/**
 * Starts a member again on its ports and waits until it answers; cluster.json gets its new
 * pid. A member that already runs is only waited for.
 */
export async function startClusterMember(options: {
  dir: string;
  name: string;
  timeoutMs: number;
  say(line: string): void;
}): Promise<ClusterMember> {
  const dir = clusterDirPath(options.dir);
  const file = readClusterFile(dir);
  const ctx = { dir, file };
  const entry = findMember(file, options.name);
  const driver = driverFor(entry.kind);
  if (runningPid(ctx, entry) !== null) {
    options.say(`${entry.member.name} already runs (pid ${entry.member.pid})`);
    const deadline = Date.now() + options.timeoutMs;
    while (!(await driver.probe(entry.member))) {
      if (Date.now() > deadline)
        throw new ClusterError(`${entry.member.name} runs but does not answer`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return entry.member;
  }
  try {
    const pid = await launchMember({
      ctx,
      driver,
      member: entry.member,
      timeoutMs: options.timeoutMs,
      onSpawned: (spawned) => {
        entry.member.pid = spawned;
        recordPid(dir, entry.member.name, spawned);
      },
    });
    options.say(`${entry.member.name} ready at ${entry.member.url} (pid ${pid})`);
    return { ...entry.member, pid };
  } catch (error) {
    // Half-started is worse than stopped: the next `start` begins clean.
    await killMember(ctx, entry);
    throw error;
  }
}
