import { randomUUID } from "node:crypto";
import type { Db } from "../../store/database.ts";

/** A Space row (and its host) for a test of the database recording store. */
export async function recordableSpace(db: Db): Promise<string> {
  const id = randomUUID().slice(0, 12);
  await db
    .insertInto("accounts")
    .values({ id, handle: `h${id.replaceAll("-", "")}`, display_name: "Host", password_hash: "x" })
    .execute();
  await db
    .insertInto("spaces")
    .values({
      id,
      host_id: id,
      title: "Recorded",
      description: "",
      state: "live",
      recording: true,
      speaker_policy: "invited",
    })
    .execute();
  return id;
}
