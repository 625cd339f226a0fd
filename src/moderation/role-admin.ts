import { AmphiError } from "../errors/error-registry.ts";
import type { Db } from "../store/database.ts";
import { repositories } from "../store/repositories/index.ts";
import { isRole } from "./roles.ts";

export class RoleAdminError extends Error {}

/**
 * Grants or revokes a role (the `amphi admin` command; tests grant through it too). The change
 * and its audit row are one transaction. Throws RoleAdminError for an unknown handle or role.
 */
export async function changeRole(
  db: Db,
  change: { op: "grant" | "revoke"; handle: string; role: string; actor: string; at?: Date },
): Promise<{ accountId: string; changed: boolean }> {
  if (!isRole(change.role)) {
    throw new RoleAdminError(
      `Unknown role "${change.role}": use moderator, admin or trusted-flagger.`,
    );
  }
  const handle = change.handle.trim().replace(/^@/, "").toLowerCase();
  return db.transaction().execute(async (trx) => {
    const r = repositories(trx);
    const account = await r.accounts.findByHandle(handle);
    if (!account) throw new RoleAdminError(`No account has the handle "${handle}".`);
    const changed =
      change.op === "grant"
        ? await r.roles.grant(account.id, change.role)
        : await r.roles.revoke(account.id, change.role);
    await r.auditLog.append({
      actor: change.actor,
      action: change.op === "grant" ? "role.grant" : "role.revoke",
      subject: `account:${account.id}`,
      details: { handle, role: change.role, changed },
      at: change.at ?? new Date(),
    });
    return { accountId: account.id, changed };
  });
}

/** Refuses anyone but moderators and admins. */
export function moderatorOnly(roles: readonly string[]): void {
  if (!roles.includes("moderator") && !roles.includes("admin")) {
    throw new AmphiError("AMPHI_MODERATOR_ONLY");
  }
}
