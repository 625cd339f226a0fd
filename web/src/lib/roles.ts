import type { Role, SpaceState, Standing } from "../api/types";

export const roleLabels: Record<Role, string> = {
  host: "Host",
  cohost: "Co-host",
  speaker: "Speaker",
  listener: "Listener",
};

export const standingLabels: Record<Standing, string> = {
  ...roleLabels,
  removed: "Removed",
  anonymous: "Guest",
};

export const stateLabels: Record<SpaceState, string> = {
  live: "LIVE",
  scheduled: "Scheduled",
  ended: "Ended",
  cancelled: "Cancelled",
};

const rank: Record<Role, number> = { host: 3, cohost: 2, speaker: 1, listener: 0 };

/** Hosts act on everyone else; co-hosts on speakers and listeners, never on each other. */
export function outranks(actor: Standing, target: Role): boolean {
  if (actor === "removed" || actor === "anonymous") return false;
  return rank[actor] > rank[target];
}

export function isOnStage(standing: Standing): boolean {
  return standing === "host" || standing === "cohost" || standing === "speaker";
}

export function isManager(standing: Standing): boolean {
  return standing === "host" || standing === "cohost";
}
