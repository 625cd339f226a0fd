import type { Db } from "../database.ts";

/** Roles granted to accounts (moderator, admin, trusted-flagger). */
export class RolesRepository {
  constructor(private readonly db: Db) {}

  async rolesOf(accountId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("account_roles")
      .select("role")
      .where("account_id", "=", accountId)
      .orderBy("role")
      .execute();
    return rows.map((r) => r.role);
  }

  /** Grants a role; false when the account already held it. */
  async grant(accountId: string, role: string): Promise<boolean> {
    const row = await this.db
      .insertInto("account_roles")
      .values({ account_id: accountId, role })
      .onConflict((oc) => oc.columns(["account_id", "role"]).doNothing())
      .returning("role")
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Revokes a role; false when the account did not hold it. */
  async revoke(accountId: string, role: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("account_roles")
      .where("account_id", "=", accountId)
      .where("role", "=", role)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
