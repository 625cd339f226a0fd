import { sql } from "kysely";
import { type AuditRow, chainHash, genesisHash } from "../../moderation/hash-chain.ts";
import type { Db } from "../database.ts";

/** One privileged action to log. */
export interface AuditEvent {
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  at: Date;
}

/**
 * The audit log: append-only (the database refuses UPDATE, DELETE and TRUNCATE, migration
 * 0011) and hash-chained. Appends are serialized by a transaction-scoped advisory lock, so two
 * API nodes never link two rows to the same predecessor; call `append` inside the transaction
 * of the action it records, or alone.
 */
export class AuditLogRepository {
  constructor(private readonly db: Db) {}

  async append(event: AuditEvent): Promise<AuditRow> {
    if (this.db.isTransaction) return this.appendIn(this.db, event);
    return this.db.transaction().execute((trx) => this.appendIn(trx, event));
  }

  private async appendIn(db: Db, event: AuditEvent): Promise<AuditRow> {
    await sql`select pg_advisory_xact_lock(728301145)`.execute(db);
    const last = await db
      .selectFrom("audit_log")
      .select(["seq", "hash"])
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    const content = {
      seq: last ? Number(last.seq) + 1 : 1,
      at: event.at.toISOString(),
      actor: event.actor,
      action: event.action,
      subject: event.subject,
      details: JSON.stringify(event.details),
    };
    const prevHash = last?.hash ?? genesisHash;
    const hash = chainHash(content, prevHash);
    await db
      .insertInto("audit_log")
      .values({ ...content, prev_hash: prevHash, hash })
      .execute();
    return { ...content, prevHash, hash };
  }

  /** Every row in order, a page at a time (the chain check streams through them). */
  async *rows(pageSize = 1_000): AsyncGenerator<AuditRow> {
    let after = 0;
    for (;;) {
      const page = await this.db
        .selectFrom("audit_log")
        .selectAll()
        .where("seq", ">", after)
        .orderBy("seq", "asc")
        .limit(pageSize)
        .execute();
      for (const r of page) {
        after = Number(r.seq);
        yield {
          seq: Number(r.seq),
          at: r.at,
          actor: r.actor,
          action: r.action,
          subject: r.subject,
          details: r.details,
          prevHash: r.prev_hash,
          hash: r.hash,
        };
      }
      if (page.length < pageSize) return;
    }
  }
}
