import type { Db } from "../store/database.ts";

/** A browser's Web Push subscription (its PushSubscription JSON, flattened). */
export interface StoredSubscription {
  endpoint: string;
  accountId: string;
  p256dh: string;
  auth: string;
}

export class PushSubscriptionsRepository {
  constructor(private readonly db: Db) {}

  /** Saves a subscription; the endpoint belongs to whoever subscribed it last. */
  async save(sub: StoredSubscription): Promise<void> {
    const values = { account_id: sub.accountId, p256dh: sub.p256dh, auth: sub.auth };
    await this.db
      .insertInto("push_subscriptions")
      .values({ endpoint: sub.endpoint, ...values })
      .onConflict((oc) => oc.column("endpoint").doUpdateSet(values))
      .execute();
  }

  /** Deletes one of this person's subscriptions (or anyone's, without an account). */
  async delete(endpoint: string, accountId?: string): Promise<boolean> {
    let query = this.db.deleteFrom("push_subscriptions").where("endpoint", "=", endpoint);
    if (accountId !== undefined) query = query.where("account_id", "=", accountId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async forAccounts(accountIds: string[]): Promise<StoredSubscription[]> {
    if (accountIds.length === 0) return [];
    const rows = await this.db
      .selectFrom("push_subscriptions")
      .select(["endpoint", "account_id", "p256dh", "auth"])
      .where("account_id", "in", accountIds)
      .execute();
    return rows.map((r) => ({
      endpoint: r.endpoint,
      accountId: r.account_id,
      p256dh: r.p256dh,
      auth: r.auth,
    }));
  }
}
