/**
 * Starts one member as a process that outlives the command: its own session (detached),
 * stdout and stderr appended to DIR/logs/NAME.log, not waited for (unref). Resolves with its
 * pid once its probe answers; rejects with the end of its log if it exits or times out first.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { holdsListener, pidsListeningOn, portIsFree } from "../system/listening-sockets.ts";
import { commandLineWords } from "../system/process-table.ts";
import type { ClusterMember } from "./cluster-file.ts";
import { logTail } from "./log-tail.ts";
import type { ClusterContext, MemberDriver } from "./member-driver.ts";

export class MemberStartError extends Error {
  override name = "MemberStartError";
}

/** The member's process (or one of its helpers: nginx's workers) listens on `port`. */
export function ownsPort(driver: MemberDriver, pid: number, port: number): boolean {
  return holdsListener([pid, ...(driver.helpers?.(pid) ?? [])], port);
}

/** "in use by pid 123 (postgres -D ...)", for messages. */
function portHolders(port: number): string {
  const holders = pidsListeningOn(port);
  if (holders.length === 0) return "not listened on by it";
  const describe = (pid: number) =>
    `pid ${pid} (${commandLineWords(pid)?.join(" ").slice(0, 120) ?? "?"})`;
  return `in use by ${holders.map(describe).join(", ")}`;
}

export async function launchMember(options: {
  ctx: ClusterContext;
  driver: MemberDriver;
  member: ClusterMember;
  timeoutMs: number;
  /** Called as soon as the process exists, before it is ready: record it for `down`. */
  onSpawned(pid: number): void;
}): Promise<number> {
  const { ctx, driver, member } = options;
  if (!(await portIsFree(member.port))) {
    throw new MemberStartError(
      `${member.name}: port ${member.port} is ${portHolders(member.port)}`,
    );
  }
  const spec = await driver.prepare(ctx, member);
  mkdirSync(dirname(member.log), { recursive: true });
  const log = openSync(member.log, "a");
  let child: ReturnType<typeof spawn>;
  try {
    writeSync(
      log,
      `--- amphi cluster: starting ${member.name} at ${new Date().toISOString()}: ${spec.command} ${spec.args.join(" ")}\n`,
    );
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", log, log],
      ...(spec.user ?? {}),
    });
  } finally {
    closeSync(log);
  }
  child.unref();
  let ended: string | null = null;
  child.once("error", (error) => {
    ended = error.message;
  });
  child.once("exit", (code, signal) => {
    ended = signal ? `killed by ${signal}` : `exit code ${code}`;
  });
  const pid = child.pid;
  if (pid === undefined) {
    // spawn reports a missing program by an "error" event after this tick.
    await new Promise((resolve) => setImmediate(resolve));
    throw new MemberStartError(
      `could not start ${member.name} (${spec.command}): ${ended ?? "no process"}`,
    );
  }
  options.onSpawned(pid);

  const failure = (why: string) =>
    new MemberStartError(
      `${member.name} ${why}; the end of ${member.log}:\n${logTail(member.log)}`,
    );
  // Ready: it answers on its port, and the port is its own. Another program that took the
  // port meanwhile would answer the probe too.
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (ended !== null) throw failure(`stopped while starting (${ended})`);
    if ((await driver.probe(member)) && ownsPort(driver, pid, member.port)) break;
    if (ended !== null) throw failure(`stopped while starting (${ended})`);
    if (Date.now() > deadline) {
      const holders = ownsPort(driver, pid, member.port)
        ? ""
        : ` (port ${member.port} is ${portHolders(member.port)})`;
      throw failure(`was not ready after ${Math.round(options.timeoutMs / 1000)} s${holders}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await driver.afterReady?.(ctx, member);
  return pid;
}
