import type { Db } from "../database.ts";

/** Browsers that logged in to an account, by the SHA-256 of their "known device" cookie. */
export class KnownDevicesRepository {
  constructor(private readonly db: Db) {}

  /** Whether the device logged in to the account with this handle before. */
  async isKnown(handle: string, deviceHash: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("known_devices")
      .innerJoin("accounts", "accounts.id", "known_devices.account_id")
      .select("known_devices.account_id")
      .where("accounts.handle", "=", handle)
      .where("known_devices.device_hash", "=", deviceHash)
      .executeTakeFirst();
    return row !== undefined;
  }

  async remember(accountId: string, deviceHash: string, now: Date): Promise<void> {
    await this.db
      .insertInto("known_devices")
      .values({ account_id: accountId, device_hash: deviceHash, last_used_at: now })
      .onConflict((c) =>
        c.columns(["account_id", "device_hash"]).doUpdateSet({ last_used_at: now }),
      )
      .execute();
  }

  /** Forgets every device of an account but `keep` (a password change). */
  async forgetOthers(accountId: string, keep: string | null): Promise<void> {
    let query = this.db.deleteFrom("known_devices").where("account_id", "=", accountId);
    if (keep !== null) query = query.where("device_hash", "!=", keep);
    await query.execute();
  }
}
