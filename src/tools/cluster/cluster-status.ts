/** `amphi cluster status`: each member's pid, whether it runs, whether it answers. */

import { clusterDirPath } from "./cluster-dir.ts";
import { memberEntries, readClusterFile } from "./cluster-file.ts";
import type { MemberKind } from "./cluster-plan.ts";
import { driverFor } from "./member-drivers.ts";
import { ownsPort } from "./member-launch.ts";
import { runningPid } from "./member-stop.ts";

export interface MemberStatus {
  name: string;
  kind: MemberKind;
  url: string;
  pid: number | null;
  /** The recorded pid runs, and is that member. */
  alive: boolean;
  /** Its probe answered (readiness.ts), on a port its own process listens on. */
  ready: boolean;
}

export async function clusterStatus(dirOption: string): Promise<MemberStatus[]> {
  const dir = clusterDirPath(dirOption);
  const file = readClusterFile(dir);
  const ctx = { dir, file };
  return Promise.all(
    memberEntries(file).map(async (entry) => {
      const driver = driverFor(entry.kind);
      const pid = runningPid(ctx, entry);
      const answers = await driver.probe(entry.member);
      return {
        name: entry.member.name,
        kind: entry.kind,
        url: entry.member.url,
        pid: entry.member.pid,
        alive: pid !== null,
        ready: pid !== null && answers && ownsPort(driver, pid, entry.member.port),
      };
    }),
  );
}

/** A plain table, columns padded. */
export function formatStatusTable(rows: readonly MemberStatus[]): string {
  const cells = [
    ["NAME", "URL", "PID", "ALIVE", "READY"],
    ...rows.map((r) => [
      r.name,
      r.url,
      r.pid === null ? "-" : String(r.pid),
      r.alive ? "yes" : "no",
      r.ready ? "yes" : "no",
    ]),
  ];
  const widths =
    cells[0]?.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0))) ?? [];
  return `${cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
