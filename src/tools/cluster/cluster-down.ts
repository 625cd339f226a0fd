/**
 * `amphi cluster down`: stops exactly what cluster.json records, edges first and storage last
 * (each tier together), every member by its own clean stop and SIGKILL after the grace period.
 * Members that are not running are skipped, so it can be run again.
 */

import { clusterDirPath } from "./cluster-dir.ts";
import { type MemberEntry, tryReadClusterFile } from "./cluster-file.ts";
import { startTiers } from "./cluster-tiers.ts";
import type { ClusterContext } from "./member-driver.ts";
import { type StopOutcome, stopMember } from "./member-stop.ts";

function describe(entry: MemberEntry, outcome: StopOutcome): string {
  const { name, pid } = entry.member;
  switch (outcome) {
    case "stopped":
      return `${name} (pid ${pid}) stopped`;
    case "killed":
      return `${name} (pid ${pid}) did not stop in time: killed`;
    case "not running":
      return `${name} was not running`;
    case "pid reused":
      return `${name}: pid ${pid} belongs to another program now; left alone`;
  }
}

export async function stopTiers(
  ctx: ClusterContext,
  tiers: MemberEntry[][],
  graceMs: number,
  say: (line: string) => void,
): Promise<void> {
  for (const tier of tiers) {
    await Promise.all(
      tier.map(async (entry) => {
        if (entry.member.pid === null) return;
        say(describe(entry, await stopMember(ctx, entry, graceMs)));
      }),
    );
  }
}

export async function clusterDown(options: {
  dir: string;
  graceMs: number;
  say(line: string): void;
}): Promise<void> {
  const dir = clusterDirPath(options.dir);
  const file = tryReadClusterFile(dir);
  if (!file) {
    options.say(`no cluster.json in ${dir}: nothing to stop`);
    return;
  }
  await stopTiers({ dir, file }, startTiers(file).reverse(), options.graceMs, options.say);
}
