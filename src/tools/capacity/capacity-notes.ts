/**
 * What the numbers of a capacity plan do not say by themselves: where the measurements came
 * from, which settings the event needs, and what the model leaves out. Pure.
 */
import { formatNumber as n } from "./number-format.ts";

export interface NoteFacts {
  listeners: number;
  spaces: number;
  arrivals: number;
  /** Share of the API nodes' work that is heartbeats. */
  heartbeatShare: number;
  heartbeatSeconds: number;
  admitRate: number;
  maxListenersPerSpace: number;
  /** Shield edges between the listener edges and the origin (0: none needed). */
  shields: number;
  /** Origin requests/s one Space would get from the listener edges directly. */
  direct: number;
  originBudget: number;
  redisOpsPerSpace: number;
  redisBudget: number;
}

export const measurementCaveat =
  "Caveat: every measured figure comes from one 2-core shared machine with the load generator " +
  "on the same cores (docs/operations.md), so per-node figures are pessimistic for dedicated " +
  "servers and noisy from run to run. Treat this as an order of magnitude; rehearse on your own " +
  "machines (`npm run bench -- join|fanout|mixer`, `amphi loadtest`) and plan again with those results.";

export function capacityNotes(facts: NoteFacts): string[] {
  const notes = [measurementCaveat];
  // HEARTBEAT_SECONDS tops out at 300 (src/config/config.ts).
  if (facts.heartbeatShare > 0.5 && facts.heartbeatSeconds <= 150) {
    notes.push(
      `Heartbeats are ${n(facts.heartbeatShare * 100)}% of the API nodes' work at the peak: ` +
        `HEARTBEAT_SECONDS=${facts.heartbeatSeconds * 2} would halve them (listener counts then react ` +
        `twice as slowly; tickets stay valid for TICKET_TTL_SECONDS).`,
    );
  }
  const admitted = facts.admitRate * facts.spaces;
  if (facts.arrivals > admitted) {
    notes.push(
      `Admission: ${n(facts.arrivals, 1)} arrivals/s exceed ADMIT_RATE_PER_SECOND (${n(facts.admitRate)}/s per Space): ` +
        `the surplus waits in line and polls again after Retry-After, requests not counted above. ` +
        `Set ADMIT_RATE_PER_SECOND=${Math.ceil(facts.arrivals / facts.spaces)} to admit the spike without a line.`,
    );
  }
  const perSpace = Math.ceil(facts.listeners / facts.spaces);
  if (perSpace > facts.maxListenersPerSpace) {
    notes.push(
      `Ceiling: ${n(perSpace)} listeners per Space exceed MAX_LISTENERS_PER_SPACE (${n(facts.maxListenersPerSpace)}): ` +
        `set it to at least ${perSpace}, or later arrivals wait for a seat.`,
    );
  }
  if (facts.shields > 0) {
    notes.push(
      `Origin: the listener edges alone would send one Space's media node ${n(facts.direct)} requests/s, ` +
        `over the ${n(facts.originBudget)}/s one process answers with headroom. The edges count includes ` +
        `${n(facts.shields)} shield edges (+1 spare): listener edges use them as their --origin, and only ` +
        `the shields' requests reach the API nodes, which forward them to the media node.`,
    );
  }
  if (facts.redisOpsPerSpace > facts.redisBudget) {
    notes.push(
      `Redis hot keys: instances assume commands spread over shards by key, but one Space's keys ` +
        `share a hash tag ({spaceId}) and so one shard: ${n(facts.redisOpsPerSpace)} ops/s for one Space ` +
        `is over one instance's ${n(facts.redisBudget)}/s. Batch heartbeats per API node (one PFADD of ` +
        `many tickets a second) or split the presence keys per node before an event this size.`,
    );
  }
  notes.push(
    "Media nodes: the mixer benchmark times the program path only (decode, mix, encode, package). " +
      "WHIP ingest and speaker-to-speaker forwarding (werift, SRTP in JavaScript), recording and " +
      "serving the edges are not in it; the spare node and the headroom cover them until measured.",
    "Not sized here: PostgreSQL (not on the join or listening path: a primary and a standby), the " +
      "live WebSocket of logged-in people, TLS termination in front of the edges, and the Space " +
      "document and heartbeats through the edges (under 1% of their requests).",
  );
  return notes;
}
