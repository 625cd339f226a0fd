/** Who someone is in a Space. Listeners are everyone not on stage. */
export type Role = "host" | "cohost" | "speaker" | "listener";

export const roles: readonly Role[] = ["host", "cohost", "speaker", "listener"];

/** As on X: one host, up to 2 co-hosts and up to 10 more speakers: 13 on stage. */
export const stageLimits = { cohosts: 2, speakers: 10, total: 13 } as const;

const rank: Record<Role, number> = { host: 3, cohost: 2, speaker: 1, listener: 0 };

/** Hosts act on everyone else; co-hosts on speakers and listeners, never on each other. */
export function outranks(actor: Role, target: Role): boolean {
  return rank[actor] > rank[target];
}

export function isOnStage(role: Role): boolean {
  return role !== "listener";
}
