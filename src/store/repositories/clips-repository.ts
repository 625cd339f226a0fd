import type { Db } from "../database.ts";

export interface ClipRecord {
  id: string;
  spaceId: string;
  createdBy: string;
  startSeconds: number;
  endSeconds: number;
  createdAt: Date;
}

export class ClipsRepository {
  constructor(private readonly db: Db) {}

  async create(clip: Omit<ClipRecord, "createdAt">): Promise<ClipRecord> {
    const row = await this.db
      .insertInto("clips")
      .values({
        id: clip.id,
        space_id: clip.spaceId,
        created_by: clip.createdBy,
        start_seconds: clip.startSeconds,
        end_seconds: clip.endSeconds,
      })
      .returning("created_at")
      .executeTakeFirstOrThrow();
    return { ...clip, createdAt: new Date(row.created_at) };
  }

  async findById(id: string): Promise<ClipRecord | null> {
    const row = await this.db
      .selectFrom("clips")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      spaceId: row.space_id,
      createdBy: row.created_by,
      startSeconds: Number(row.start_seconds),
      endSeconds: Number(row.end_seconds),
      createdAt: new Date(row.created_at),
    };
  }

  /** Deletes one clip; whether it existed. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("clips").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Deletes every clip of a Space's recording; how many. */
  async deleteOfSpace(spaceId: string): Promise<number> {
    const result = await this.db
      .deleteFrom("clips")
      .where("space_id", "=", spaceId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
