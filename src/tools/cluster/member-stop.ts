/**
 * Stopping members, by the pids cluster.json records and nothing else. A pid is signalled only
 * while its command line still shows it is that member (MemberDriver.identity): a pid the
 * kernel gave to another program since is left alone.
 */
import {
  commandLineHas,
  isRunning,
  signalProcess,
  waitUntilGone,
} from "../system/process-table.ts";
import type { MemberEntry } from "./cluster-file.ts";
import type { ClusterContext } from "./member-driver.ts";
import { driverFor } from "./member-drivers.ts";

export type StopOutcome = "stopped" | "killed" | "not running" | "pid reused";

/** The member's pid when it still runs as that member; null otherwise. */
export function runningPid(ctx: ClusterContext, entry: MemberEntry): number | null {
  const { pid } = entry.member;
  if (pid === null) return null;
  return commandLineHas(pid, driverFor(entry.kind).identity(ctx, entry.member)) ? pid : null;
}

function notRunning(entry: MemberEntry): StopOutcome {
  const { pid } = entry.member;
  return pid !== null && isRunning(pid) ? "pid reused" : "not running";
}

/** SIGKILL for the member and its helpers (nginx workers); waits until they are gone. */
export async function killMember(ctx: ClusterContext, entry: MemberEntry): Promise<StopOutcome> {
  const pid = runningPid(ctx, entry);
  if (pid === null) return notRunning(entry);
  const driver = driverFor(entry.kind);
  const helpers = driver.helpers?.(pid) ?? [];
  signalProcess(pid, "SIGKILL");
  for (const helper of helpers) signalProcess(helper, "SIGKILL");
  await waitUntilGone([pid, ...helpers], 5000);
  return "killed";
}

/**
 * The member's own clean stop (SIGTERM; PostgreSQL: SIGINT), then SIGKILL for whatever is left
 * after `graceMs`.
 */
export async function stopMember(
  ctx: ClusterContext,
  entry: MemberEntry,
  graceMs: number,
): Promise<StopOutcome> {
  const pid = runningPid(ctx, entry);
  if (pid === null) return notRunning(entry);
  const driver = driverFor(entry.kind);
  const helpers = driver.helpers?.(pid) ?? [];
  signalProcess(pid, driver.stopSignal);
  if (await waitUntilGone([pid, ...helpers], graceMs)) return "stopped";
  // Checked again: in the grace period the pid may have ended and been given to another.
  if (runningPid(ctx, entry) === pid) signalProcess(pid, "SIGKILL");
  for (const helper of helpers) {
    if (driver.isHelper?.(helper)) signalProcess(helper, "SIGKILL");
  }
  await waitUntilGone([pid, ...helpers], 5000);
  return "killed";
}
