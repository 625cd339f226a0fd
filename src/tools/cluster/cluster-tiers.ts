import { type ClusterFile, type MemberEntry, memberEntries } from "./cluster-file.ts";

/**
 * The start order, a tier at a time (members of a tier start together): storage, the Amphi
 * nodes (they need storage), the balancer (it checks the nodes), the edges (their origin is
 * the balancer). `down` goes backwards.
 */
export function startTiers(file: ClusterFile): MemberEntry[][] {
  const entries = memberEntries(file);
  const of = (...kinds: MemberEntry["kind"][]) => entries.filter((e) => kinds.includes(e.kind));
  return [of("postgres", "redis"), of("api", "media"), of("balancer"), of("edge")].filter(
    (tier) => tier.length > 0,
  );
}
