import webpush from "web-push";
import type { Db } from "../store/database.ts";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * The server's VAPID key pair (RFC 8292), made at first start and kept in the database
 * (`server_keys`), so every API node of a fleet signs pushes with the same key and browsers'
 * subscriptions survive restarts. Two nodes starting at once both try to insert; the first
 * insert wins and both read it back.
 */
export async function loadVapidKeys(db: Db): Promise<VapidKeys> {
  const made = webpush.generateVAPIDKeys();
  await db
    .insertInto("server_keys")
    .values({ name: "vapid", value: JSON.stringify(made) })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db
    .selectFrom("server_keys")
    .select("value")
    .where("name", "=", "vapid")
    .executeTakeFirstOrThrow();
  const value = (typeof row.value === "string" ? JSON.parse(row.value) : row.value) as VapidKeys;
  return { publicKey: value.publicKey, privateKey: value.privateKey };
}
