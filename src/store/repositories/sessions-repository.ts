import type { Db } from "../database.ts";

export class SessionsRepository {
  constructor(private readonly db: Db) {}

  async create(tokenHash: string, accountId: string, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({ token_hash: tokenHash, account_id: accountId, expires_at: expiresAt })
      .execute();
  }

  /** The account a live (unexpired) session belongs to. */
  async findAccountId(tokenHash: string, now: Date): Promise<string | null> {
    const row = await this.db
      .selectFrom("sessions")
      .select("account_id")
      .where("token_hash", "=", tokenHash)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return row?.account_id ?? null;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db
      .deleteFrom("sessions")
      .where("expires_at", "<=", now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
