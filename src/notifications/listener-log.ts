import type { Logger } from "pino";
import type { Db } from "../store/database.ts";

/** Rows per INSERT when the log is written. */
const chunk = 1_000;

/**
 * Who listened to a Space logged in (for "its replay is ready"), kept off the join path: a
 * ticket issued to an account is noted in memory and written every few seconds in batches
 * (`space_listeners`, INSERT ... ON CONFLICT DO NOTHING). Anonymous listeners are not
 * recorded (nobody to notify). A crash loses at most the last interval's names.
 */
export class ListenerLog {
  private pending = new Map<string, { spaceId: string; accountId: string }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly intervalMs = 5_000,
  ) {}

  /** A ticket was issued to this account for this Space. Never waits. */
  listened(spaceId: string, accountId: string): void {
    if (this.pending.size >= 100_000) return; // the database is away: drop, never grow unbounded
    this.pending.set(`${spaceId}\n${accountId}`, { spaceId, accountId });
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes what was noted since the last flush. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      try {
        await this.db
          .insertInto("space_listeners")
          .values(part.map((r) => ({ space_id: r.spaceId, account_id: r.accountId })))
          .onConflict((oc) => oc.columns(["space_id", "account_id"]).doNothing())
          .execute();
      } catch (error) {
        this.log.warn({ err: error, rows: part.length }, "listener log: write failed");
      }
    }
  }
}
