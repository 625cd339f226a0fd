import { randomBytes } from "node:crypto";
import type { Db } from "../database.ts";

/** A session as its owner sees it: never the token or its hash. */
export interface SessionRecord {
  id: string;
  /** SHA-256 of the token, to tell the caller's own session; stays on the server. */
  tokenHash: string;
  userAgent: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** A live session found by its token hash. */
export interface LiveSession {
  id: string;
  accountId: string;
  lastSeenAt: Date;
}

export function newSessionId(): string {
  return randomBytes(12).toString("base64url");
}

export class SessionsRepository {
  constructor(private readonly db: Db) {}

  async create(
    tokenHash: string,
    accountId: string,
    expiresAt: Date,
    details: { id?: string; userAgent?: string } = {},
  ): Promise<string> {
    const id = details.id ?? newSessionId();
    await this.db
      .insertInto("sessions")
      .values({
        token_hash: tokenHash,
        id,
        account_id: accountId,
        user_agent: (details.userAgent ?? "").slice(0, 300),
        expires_at: expiresAt,
      })
      .execute();
    return id;
  }

  /** The account a live (unexpired) session belongs to. */
  async findAccountId(tokenHash: string, now: Date): Promise<string | null> {
    return (await this.findLive(tokenHash, now))?.accountId ?? null;
  }

  /** A live (unexpired) session by its token hash. */
  async findLive(tokenHash: string, now: Date): Promise<LiveSession | null> {
    const row = await this.db
      .selectFrom("sessions")
      .select(["id", "account_id", "last_seen_at"])
      .where("token_hash", "=", tokenHash)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return row ? { id: row.id, accountId: row.account_id, lastSeenAt: row.last_seen_at } : null;
  }

  async touch(tokenHash: string, now: Date): Promise<void> {
    await this.db
      .updateTable("sessions")
      .set({ last_seen_at: now })
      .where("token_hash", "=", tokenHash)
      .execute();
  }

  /** An account's live sessions, most recently seen first. */
  async listForAccount(accountId: string, now: Date): Promise<SessionRecord[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .select(["id", "token_hash", "user_agent", "created_at", "last_seen_at", "expires_at"])
      .where("account_id", "=", accountId)
      .where("expires_at", ">", now)
      .orderBy("last_seen_at", "desc")
      .orderBy("created_at", "desc")
      .limit(500)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      tokenHash: r.token_hash,
      userAgent: r.user_agent,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
    }));
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
  }

  /** Ends one of an account's sessions by id; its token hash, or null when it has none such. */
  async deleteById(accountId: string, id: string): Promise<string | null> {
    const row = await this.db
      .deleteFrom("sessions")
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .returning("token_hash")
      .executeTakeFirst();
    return row?.token_hash ?? null;
  }

  /** Ends every session of an account, but `keep` (a token hash) when given; their hashes. */
  async deleteForAccount(accountId: string, keep?: string): Promise<string[]> {
    let query = this.db.deleteFrom("sessions").where("account_id", "=", accountId);
    if (keep !== undefined) query = query.where("token_hash", "!=", keep);
    const rows = await query.returning("token_hash").execute();
    return rows.map((r) => r.token_hash);
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db
      .deleteFrom("sessions")
      .where("expires_at", "<=", now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
