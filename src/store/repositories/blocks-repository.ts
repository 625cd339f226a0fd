import type { Db } from "../database.ts";
import { type AccountRecord, toAccountRecord } from "./accounts-repository.ts";

export interface BlockRecord {
  account: AccountRecord;
  blockedAt: Date;
}

/** Who each host blocked from their Spaces. */
export class BlocksRepository {
  constructor(private readonly db: Db) {}

  /** Blocks `blockedId`; blocking again keeps the first time. */
  async block(blockerId: string, blockedId: string, at: Date): Promise<Date> {
    await this.db
      .insertInto("account_blocks")
      .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: at })
      .onConflict((c) => c.columns(["blocker_id", "blocked_id"]).doNothing())
      .execute();
    const row = await this.db
      .selectFrom("account_blocks")
      .select("created_at")
      .where("blocker_id", "=", blockerId)
      .where("blocked_id", "=", blockedId)
      .executeTakeFirstOrThrow();
    return new Date(row.created_at);
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    await this.db
      .deleteFrom("account_blocks")
      .where("blocker_id", "=", blockerId)
      .where("blocked_id", "=", blockedId)
      .execute();
  }

  async isBlocked(blockerId: string, blockedId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("account_blocks")
      .select("blocked_id")
      .where("blocker_id", "=", blockerId)
      .where("blocked_id", "=", blockedId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The ids each of `blockerIds` blocked (hosts with none are absent). */
  async blockedBy(blockerIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (blockerIds.length === 0) return out;
    const rows = await this.db
      .selectFrom("account_blocks")
      .select(["blocker_id", "blocked_id"])
      .where("blocker_id", "in", [...new Set(blockerIds)])
      .execute();
    for (const row of rows) {
      const set = out.get(row.blocker_id) ?? new Set<string>();
      set.add(row.blocked_id);
      out.set(row.blocker_id, set);
    }
    return out;
  }

  /** The host's blocks, newest first, with the blocked accounts. */
  async list(blockerId: string, limit = 1000): Promise<BlockRecord[]> {
    const rows = await this.db
      .selectFrom("account_blocks")
      .innerJoin("accounts", "accounts.id", "account_blocks.blocked_id")
      .select([
        "accounts.id",
        "accounts.handle",
        "accounts.display_name",
        "accounts.bio",
        "accounts.created_at",
      ])
      .select("account_blocks.created_at as blocked_at")
      .where("account_blocks.blocker_id", "=", blockerId)
      .orderBy("account_blocks.created_at", "desc")
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      account: toAccountRecord(row),
      blockedAt: new Date(row.blocked_at),
    }));
  }
}
