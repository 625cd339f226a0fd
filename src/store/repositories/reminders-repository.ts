import type { Selectable } from "kysely";
import type { Db } from "../database.ts";
import type { SpaceRemindersTable } from "../schema.ts";

/** When a reminder fires: a day before, an hour before, at the start. */
export type ReminderKind = "24h" | "1h" | "start";

export const reminderKinds: readonly ReminderKind[] = ["24h", "1h", "start"];

/** One person's reminder of one Space: which of the three moments they want. */
export interface ReminderRecord {
  spaceId: string;
  accountId: string;
  at24h: boolean;
  at1h: boolean;
  atStart: boolean;
  createdAt: Date;
}

export type ReminderChoice = Pick<ReminderRecord, "at24h" | "at1h" | "atStart">;

/** A page of the accounts to remind; `next` is the cursor of the following page, or null. */
export interface ReminderBatch {
  accountIds: string[];
  next: string | null;
}

const column = { "24h": "at_24h", "1h": "at_1h", start: "at_start" } as const;

function toReminder(row: Selectable<SpaceRemindersTable>): ReminderRecord {
  return {
    spaceId: row.space_id,
    accountId: row.account_id,
    at24h: row.at_24h,
    at1h: row.at_1h,
    atStart: row.at_start,
    createdAt: new Date(row.created_at),
  };
}

export class RemindersRepository {
  constructor(private readonly db: Db) {}

  async find(spaceId: string, accountId: string): Promise<ReminderRecord | null> {
    const row = await this.db
      .selectFrom("space_reminders")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return row ? toReminder(row) : null;
  }

  /** Sets or replaces the reminder (one row per person and Space; `created_at` is kept). */
  async save(spaceId: string, accountId: string, choice: ReminderChoice): Promise<ReminderRecord> {
    const values = { at_24h: choice.at24h, at_1h: choice.at1h, at_start: choice.atStart };
    const row = await this.db
      .insertInto("space_reminders")
      .values({ space_id: spaceId, account_id: accountId, ...values })
      .onConflict((oc) => oc.columns(["space_id", "account_id"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toReminder(row);
  }

  /** Whether there was one to delete. */
  async delete(spaceId: string, accountId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("space_reminders")
      .where("space_id", "=", spaceId)
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** People with a reminder of the Space, whatever its moments (the host's forecast). */
  async count(spaceId: string): Promise<number> {
    const row = await this.db
      .selectFrom("space_reminders")
      .select((e) => e.fn.countAll<string>().as("n"))
      .where("space_id", "=", spaceId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Reminders per Space, for many Spaces at once (discovery ranks upcoming Spaces by them). */
  async countsOf(spaceIds: readonly string[]): Promise<Map<string, number>> {
    if (spaceIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("space_reminders")
      .select(["space_id", (e) => e.fn.countAll<string>().as("n")])
      .where("space_id", "in", spaceIds)
      .groupBy("space_id")
      .execute();
    return new Map(rows.map((r) => [r.space_id, Number(r.n)]));
  }

  /**
   * One batch of the accounts that asked for the `kind` reminder of a Space, in account id
   * order, after the cursor `after` (the `next` of the previous batch; omit it to begin).
   * Keyset pagination on the primary key: every batch costs the same however deep the walk,
   * and rows added or removed meanwhile never shift a batch (no OFFSET).
   */
  async remindersDue(
    spaceId: string,
    kind: ReminderKind,
    options: { after?: string | null | undefined; batchSize?: number } = {},
  ): Promise<ReminderBatch> {
    const batchSize = Math.max(1, Math.min(options.batchSize ?? 1000, 10_000));
    let q = this.db
      .selectFrom("space_reminders")
      .select("account_id")
      .where("space_id", "=", spaceId)
      .where(column[kind], "=", true);
    if (options.after) q = q.where("account_id", ">", options.after);
    const rows = await q.orderBy("account_id", "asc").limit(batchSize).execute();
    const accountIds = rows.map((r) => r.account_id);
    const last = accountIds[accountIds.length - 1];
    return { accountIds, next: accountIds.length === batchSize && last ? last : null };
  }

  /** Every batch of `remindersDue`, one after the other. */
  async *remindersDueBatches(
    spaceId: string,
    kind: ReminderKind,
    batchSize = 1000,
  ): AsyncGenerator<string[]> {
    let after: string | null = null;
    do {
      const batch: ReminderBatch = await this.remindersDue(spaceId, kind, { after, batchSize });
      if (batch.accountIds.length > 0) yield batch.accountIds;
      after = batch.next;
    } while (after);
  }
}

/**
 * The notifier's entry point (it holds a database handle, not the repositories): one batch of
 * the accounts due the `kind` reminder of a Space. See RemindersRepository.remindersDue.
 */
export function remindersDue(
  db: Db,
  spaceId: string,
  kind: ReminderKind,
  options: { after?: string | null | undefined; batchSize?: number } = {},
): Promise<ReminderBatch> {
  return new RemindersRepository(db).remindersDue(spaceId, kind, options);
}
