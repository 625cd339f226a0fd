import type { ServerUser } from "../system/postgres-server-user.ts";
import type { ClusterFile, ClusterMember } from "./cluster-file.ts";

/** What every operation on a member needs: the cluster's folder and its file. */
export interface ClusterContext {
  dir: string;
  file: ClusterFile;
}

/** How to run a member's process. */
export interface LaunchSpec {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Another user to run as (PostgreSQL under root); null: ours. */
  user: ServerUser | null;
}

/** One kind of member (PostgreSQL, Redis, an Amphi node, HAProxy, an nginx edge). */
export interface MemberDriver {
  /** Before every start: folders, configuration files, stale lock files. */
  prepare(ctx: ClusterContext, member: ClusterMember): Promise<LaunchSpec>;
  /**
   * Words only this member's process has on its command line (its config file, its port):
   * a pid is signalled only when they are there, so a recycled pid is left alone.
   */
  identity(ctx: ClusterContext, member: ClusterMember): string[];
  /** True when it answers (see readiness.ts). */
  probe(member: ClusterMember): Promise<boolean>;
  /** Once ready after a start (e.g. create the database). */
  afterReady?(ctx: ClusterContext, member: ClusterMember): Promise<void>;
  /** Asks for a clean stop. */
  stopSignal: NodeJS.Signals;
  /** Processes of the member besides the one started (nginx's workers). */
  helpers?(pid: number): number[];
  /** Whether `pid` still is such a helper (checked again before a late SIGKILL). */
  isHelper?(pid: number): boolean;
}
