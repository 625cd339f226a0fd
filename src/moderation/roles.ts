import type { AccountRole } from "../contracts/moderation-contracts.ts";

/** Who may do what in moderation: pure rules over the roles an account holds. */

/** Moderators and admins work the queue, decide notices and appeals, export statements. */
export function mayModerate(roles: readonly string[]): boolean {
  return roles.includes("moderator") || roles.includes("admin");
}

/** The DSA source of a notice: a trusted flagger's (Art. 22) or anyone's (Art. 16). */
export function noticeSourceOf(
  roles: readonly string[],
): "SOURCE_TRUSTED_FLAGGER" | "SOURCE_ARTICLE_16" {
  return roles.includes("trusted-flagger") ? "SOURCE_TRUSTED_FLAGGER" : "SOURCE_ARTICLE_16";
}

/** Queue priority: trusted flaggers' notices first (0), then everyone's (1); age breaks ties. */
export function priorityOf(source: string): 0 | 1 {
  return source === "SOURCE_TRUSTED_FLAGGER" ? 0 : 1;
}

export function isRole(value: string): value is AccountRole {
  return value === "moderator" || value === "admin" || value === "trusted-flagger";
}
