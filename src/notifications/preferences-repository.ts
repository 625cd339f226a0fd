import type { Db } from "../store/database.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import type { QuietHours } from "./quiet-hours.ts";

export interface StoredPreferences {
  push: boolean;
  quietHours: QuietHours | null;
}

/** Notification preferences (push on/off, quiet hours) and muted hosts, per account. */
export class PreferencesRepository {
  constructor(private readonly db: Db) {}

  async get(accountId: string): Promise<StoredPreferences> {
    const row = await this.db
      .selectFrom("notification_preferences")
      .select(["push", "quiet_start", "quiet_end", "time_zone"])
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    if (!row) return { push: true, quietHours: null };
    return {
      push: row.push,
      quietHours:
        row.quiet_start && row.quiet_end && row.time_zone
          ? { start: row.quiet_start, end: row.quiet_end, timeZone: row.time_zone }
          : null,
    };
  }

  async save(accountId: string, prefs: StoredPreferences): Promise<void> {
    const values = {
      push: prefs.push,
      quiet_start: prefs.quietHours?.start ?? null,
      quiet_end: prefs.quietHours?.end ?? null,
      time_zone: prefs.quietHours?.timeZone ?? null,
      updated_at: new Date(),
    };
    await this.db
      .insertInto("notification_preferences")
      .values({ account_id: accountId, ...values })
      .onConflict((oc) => oc.column("account_id").doUpdateSet(values))
      .execute();
  }

  /** Idempotent, both ways. */
  async setMuted(accountId: string, mutedId: string, muted: boolean): Promise<void> {
    if (muted) {
      await this.db
        .insertInto("notification_mutes")
        .values({ account_id: accountId, muted_id: mutedId })
        .onConflict((oc) => oc.columns(["account_id", "muted_id"]).doNothing())
        .execute();
    } else {
      await this.db
        .deleteFrom("notification_mutes")
        .where("account_id", "=", accountId)
        .where("muted_id", "=", mutedId)
        .execute();
    }
  }

  async muted(accountId: string): Promise<Pick<AccountRecord, "id" | "handle" | "displayName">[]> {
    const rows = await this.db
      .selectFrom("notification_mutes as m")
      .innerJoin("accounts as a", "a.id", "m.muted_id")
      .select(["a.id", "a.handle", "a.display_name"])
      .where("m.account_id", "=", accountId)
      .orderBy("a.handle")
      .execute();
    return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name }));
  }
}
