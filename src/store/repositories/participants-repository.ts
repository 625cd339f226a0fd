import type { Role } from "../../domain/spaces/roles.ts";
import type { Participant, Pending } from "../../domain/spaces/stage.ts";
import type { Db } from "../database.ts";

function toParticipant(row: {
  account_id: string;
  role: string;
  pending: string;
  muted: boolean;
  removed: boolean;
}): Participant {
  return {
    accountId: row.account_id,
    role: row.role as Role,
    pending: row.pending as Pending,
    muted: row.muted,
    removed: row.removed,
  };
}

/** Everyone the stage knows in a Space: people on stage, with a request, or removed. */
export class ParticipantsRepository {
  constructor(private readonly db: Db) {}

  async listForSpace(spaceId: string): Promise<Participant[]> {
    const rows = await this.db
      .selectFrom("space_participants")
      .select(["account_id", "role", "pending", "muted", "removed"])
      .where("space_id", "=", spaceId)
      .orderBy("updated_at", "asc")
      .orderBy("account_id", "asc")
      .execute();
    return rows.map(toParticipant);
  }

  async find(spaceId: string, accountId: string): Promise<Participant | null> {
    const row = await this.db
      .selectFrom("space_participants")
      .select(["account_id", "role", "pending", "muted", "removed"])
      .where("space_id", "=", spaceId)
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return row ? toParticipant(row) : null;
  }

  /** Who was removed from which of these Spaces (one query, for a start-up preload). */
  async removedFrom(spaceIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const removed = new Map<string, Set<string>>();
    if (spaceIds.length === 0) return removed;
    const rows = await this.db
      .selectFrom("space_participants")
      .select(["space_id", "account_id"])
      .where("space_id", "in", spaceIds)
      .where("removed", "=", true)
      .execute();
    for (const row of rows) {
      const set = removed.get(row.space_id) ?? new Set<string>();
      set.add(row.account_id);
      removed.set(row.space_id, set);
    }
    return removed;
  }

  /** Inserts or replaces these participants' rows. */
  async save(spaceId: string, participants: readonly Participant[], at: Date): Promise<void> {
    if (participants.length === 0) return;
    await this.db
      .insertInto("space_participants")
      .values(
        participants.map((p) => ({
          space_id: spaceId,
          account_id: p.accountId,
          role: p.role,
          pending: p.pending,
          muted: p.muted,
          removed: p.removed,
          updated_at: at,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["space_id", "account_id"]).doUpdateSet((eb) => ({
          role: eb.ref("excluded.role"),
          pending: eb.ref("excluded.pending"),
          muted: eb.ref("excluded.muted"),
          removed: eb.ref("excluded.removed"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }

  /** Drops every open request and invitation, e.g. when the Space ends. */
  async clearPending(spaceId: string, at: Date): Promise<void> {
    await this.db
      .updateTable("space_participants")
      .set({ pending: "none", updated_at: at })
      .where("space_id", "=", spaceId)
      .where("pending", "!=", "none")
      .execute();
  }
}
