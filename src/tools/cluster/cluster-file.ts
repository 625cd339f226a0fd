/**
 * DIR/cluster.json: what `amphi cluster up` started, read back by kill, start, status, down
 * and by outside checks. The first fields are the published contract (entry, balancer, edges,
 * api, media, postgres, redis); the rest is what the command itself needs to find its members.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { ClusterPlan, MemberKind, PlannedMember } from "./cluster-plan.ts";

const memberSchema = z.object({
  name: z.string(),
  url: z.string(),
  /** Null until started (a cluster.json written while `up` is still under way). */
  pid: z.number().int().positive().nullable(),
  port: z.number().int().min(1).max(65_535),
  /** The member's stdout and stderr. */
  log: z.string(),
});

export const clusterFileSchema = z.object({
  /** The URL listeners use: the first edge, or the balancer without edges. */
  entry: z.string(),
  /** HAProxy in front of the API nodes. */
  balancer: z.string(),
  edges: z.array(z.string()),
  api: z.array(memberSchema),
  media: z.array(memberSchema),
  postgres: memberSchema,
  redis: memberSchema,
  balancerMember: memberSchema.extend({ statsUrl: z.string() }),
  edgeMembers: z.array(memberSchema),
  /** `--env` extras given to every Amphi node, kept for `start`. */
  env: z.record(z.string(), z.string()),
  /** The checkout whose src/main.ts the nodes run. */
  repo: z.string(),
  dir: z.string(),
  createdAt: z.string(),
});

export type ClusterFile = z.infer<typeof clusterFileSchema>;
export type ClusterMember = z.infer<typeof memberSchema>;

export interface MemberEntry {
  kind: MemberKind;
  member: ClusterMember;
}

export class ClusterFileError extends Error {
  override name = "ClusterFileError";
}

export const clusterFilePath = (dir: string) => join(dir, "cluster.json");
export const logFilePath = (dir: string, name: string) => join(dir, "logs", `${name}.log`);

/** The file for a plan, nothing started yet. */
export function clusterFileFromPlan(options: {
  plan: ClusterPlan;
  dir: string;
  repo: string;
  env: Record<string, string>;
  now: Date;
}): ClusterFile {
  const { plan, dir } = options;
  const member = (planned: PlannedMember): ClusterMember => ({
    name: planned.name,
    url: planned.url,
    pid: null,
    port: planned.port,
    log: logFilePath(dir, planned.name),
  });
  const edges = plan.edges.map((edge) => edge.url);
  return {
    entry: edges[0] ?? plan.balancer.url,
    balancer: plan.balancer.url,
    edges,
    api: plan.api.map(member),
    media: plan.media.map(member),
    postgres: member(plan.postgres),
    redis: member(plan.redis),
    balancerMember: { ...member(plan.balancer), statsUrl: plan.balancer.statsUrl },
    edgeMembers: plan.edges.map(member),
    env: options.env,
    repo: options.repo,
    dir,
    createdAt: options.now.toISOString(),
  };
}

/** Sets the fields that repeat members' URLs (entry, balancer, edges) from the members. */
export function refreshEntryPoints(file: ClusterFile): void {
  file.balancer = file.balancerMember.url;
  file.edges = file.edgeMembers.map((edge) => edge.url);
  file.entry = file.edges[0] ?? file.balancer;
}

/** Every member in start order (stop in reverse): storage, nodes, balancer, edges. */
export function memberEntries(file: ClusterFile): MemberEntry[] {
  return [
    { kind: "postgres", member: file.postgres },
    { kind: "redis", member: file.redis },
    ...file.api.map((member) => ({ kind: "api" as const, member })),
    ...file.media.map((member) => ({ kind: "media" as const, member })),
    { kind: "balancer", member: file.balancerMember },
    ...file.edgeMembers.map((member) => ({ kind: "edge" as const, member })),
  ];
}

export function findMember(file: ClusterFile, name: string): MemberEntry {
  const entries = memberEntries(file);
  const found = entries.find((entry) => entry.member.name === name);
  if (!found) {
    const names = entries.map((entry) => entry.member.name).join(", ");
    throw new ClusterFileError(`no member named ${JSON.stringify(name)} (members: ${names})`);
  }
  return found;
}

export function readClusterFile(dir: string): ClusterFile {
  const path = clusterFilePath(dir);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ClusterFileError(
      `no cluster in ${dir}: ${path} does not exist (run \`amphi cluster up --dir ${dir}\`)`,
    );
  }
  const parsed = clusterFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new ClusterFileError(`${path} is not a cluster file: ${parsed.error.message}`);
  }
  return parsed.data;
}

export function tryReadClusterFile(dir: string): ClusterFile | null {
  try {
    return readClusterFile(dir);
  } catch (error) {
    if (error instanceof ClusterFileError) return null;
    throw error;
  }
}

/** Written whole under another name, then renamed: a reader never sees half a file. */
export function writeClusterFile(dir: string, file: ClusterFile): void {
  const path = clusterFilePath(dir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(temp, path);
}

/**
 * Records a member's new pid. Reads the file again first, so a `start` of another member
 * finishing meanwhile is not undone.
 */
export function recordPid(dir: string, name: string, pid: number): ClusterFile {
  const file = readClusterFile(dir);
  findMember(file, name).member.pid = pid;
  writeClusterFile(dir, file);
  return file;
}
