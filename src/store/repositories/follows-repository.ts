import type { Db } from "../database.ts";

export class FollowsRepository {
  constructor(private readonly db: Db) {}

  /** Idempotent: following twice leaves one edge. */
  async follow(followerId: string, followeeId: string): Promise<void> {
    await this.db
      .insertInto("follows")
      .values({ follower_id: followerId, followee_id: followeeId })
      .onConflict((oc) => oc.columns(["follower_id", "followee_id"]).doNothing())
      .execute();
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.db
      .deleteFrom("follows")
      .where("follower_id", "=", followerId)
      .where("followee_id", "=", followeeId)
      .execute();
  }

  async isFollowing(followerId: string, followeeId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("follows")
      .select("follower_id")
      .where("follower_id", "=", followerId)
      .where("followee_id", "=", followeeId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async counts(accountId: string): Promise<{ followers: number; following: number }> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb
          .selectFrom("follows")
          .select((e) => e.fn.countAll<string>().as("n"))
          .where("followee_id", "=", accountId)
          .as("followers"),
        eb
          .selectFrom("follows")
          .select((e) => e.fn.countAll<string>().as("n"))
          .where("follower_id", "=", accountId)
          .as("following"),
      ])
      .executeTakeFirstOrThrow();
    return { followers: Number(row.followers ?? 0), following: Number(row.following ?? 0) };
  }

  /** Ids of the accounts `followerId` follows. */
  async followeeIds(followerId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("follows")
      .select("followee_id")
      .where("follower_id", "=", followerId)
      .execute();
    return rows.map((r) => r.followee_id);
  }
}
