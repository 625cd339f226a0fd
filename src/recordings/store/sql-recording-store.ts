import type { Db } from "../../store/database.ts";
import { RecordingIndex } from "./recording-index.ts";
import {
  FencedOut,
  type PartToKeep,
  parsePartUri,
  type RecordedPart,
  type RecordingStore,
} from "./recording-store.ts";

/**
 * Recordings in the database (PostgreSQL in a fleet): they outlive the media node that wrote
 * them, so the node that takes a Space over continues the same recording. Fencing: `begin`
 * raises the recording's owner epoch (never lowers it) and every `keep` checks that epoch
 * under a share lock of the recording's row in the same transaction, so a write from a
 * stale owner either lands before the takeover (and the new owner sees it) or is refused.
 *
 * The parts' list is indexed in memory (RecordingIndex); each read asks only for the rows
 * after the last one indexed (the primary key's order), so a long recording's list is read
 * once per node, and parts another node kept since still appear.
 */
export class SqlRecordingStore implements RecordingStore {
  readonly kind = "database";

  constructor(
    private readonly db: Db,
    private readonly index = new RecordingIndex(),
  ) {}

  async begin(spaceId: string, init: Uint8Array, epoch: number): Promise<void> {
    const row = await this.db
      .insertInto("recordings")
      .values({ space_id: spaceId, owner_epoch: epoch, init })
      .onConflict((c) =>
        c
          .column("space_id")
          .doUpdateSet({ owner_epoch: epoch })
          .where("recordings.owner_epoch", "<=", epoch),
      )
      .returning("owner_epoch")
      .executeTakeFirst();
    if (!row) throw new FencedOut(spaceId, epoch);
  }

  async keep(spaceId: string, epoch: number, part: PartToKeep): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const owner = await tx
        .selectFrom("recordings")
        .select("owner_epoch")
        .where("space_id", "=", spaceId)
        .forShare()
        .executeTakeFirst();
      if (!owner || Number(owner.owner_epoch) !== epoch) throw new FencedOut(spaceId, epoch);
      await tx
        .insertInto("recording_parts")
        .values({
          space_id: spaceId,
          msn: part.msn,
          part_index: part.index,
          duration: part.duration,
          started_at: part.startedAt,
          discontinuity: part.discontinuity === true,
          epoch,
          bytes: part.bytes,
        })
        // The same part again (a retry after a lost answer) is already kept.
        .onConflict((c) => c.columns(["space_id", "msn", "part_index"]).doNothing())
        .execute();
    });
  }

  async parts(spaceId: string): Promise<readonly RecordedPart[]> {
    const indexed = this.index.get(spaceId);
    const last = indexed?.at(-1);
    let query = this.db
      .selectFrom("recording_parts")
      .select(["msn", "part_index", "duration", "started_at", "discontinuity"])
      .where("space_id", "=", spaceId);
    if (last) {
      query = query.where((eb) =>
        eb.or([
          eb("msn", ">", last.msn),
          eb.and([eb("msn", "=", last.msn), eb("part_index", ">", last.index)]),
        ]),
      );
    }
    const rows = await query.orderBy("msn").orderBy("part_index").execute();
    const fresh = rows.map((r): RecordedPart => {
      const msn = Number(r.msn);
      return {
        uri: `part-${msn}-${r.part_index}.m4s`,
        msn,
        index: r.part_index,
        duration: Number(r.duration),
        startedAt: Number(r.started_at),
        ...(r.discontinuity ? { discontinuity: true } : {}),
      };
    });
    if (!indexed) {
      if (fresh.length > 0) this.index.set(spaceId, fresh);
      return fresh;
    }
    for (const part of fresh) this.index.append(spaceId, part);
    return this.index.get(spaceId) ?? [...indexed, ...fresh];
  }

  async init(spaceId: string): Promise<Uint8Array | null> {
    const row = await this.db
      .selectFrom("recordings")
      .select("init")
      .where("space_id", "=", spaceId)
      .executeTakeFirst();
    return row ? row.init : null;
  }

  async part(spaceId: string, uri: string): Promise<Uint8Array | null> {
    const at = parsePartUri(uri);
    if (!at) return null;
    const row = await this.db
      .selectFrom("recording_parts")
      .select("bytes")
      .where("space_id", "=", spaceId)
      .where("msn", "=", at.msn)
      .where("part_index", "=", at.index)
      .executeTakeFirst();
    return row ? row.bytes : null;
  }

  async delete(spaceId: string): Promise<void> {
    this.index.forget(spaceId);
    // The parts' rows go with their recording's (ON DELETE CASCADE).
    await this.db.deleteFrom("recordings").where("space_id", "=", spaceId).execute();
  }
}
