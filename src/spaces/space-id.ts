import { randomBytes } from "node:crypto";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 12 base62 characters (~71 bits): short enough to share, too many to guess. */
export function newSpaceId(): string {
  let id = "";
  while (id.length < 12) {
    for (const byte of randomBytes(16)) {
      // Bytes >= 248 are skipped so every character is equally likely (248 = 4 * 62).
      if (byte < 248 && id.length < 12) id += alphabet[byte % 62];
    }
  }
  return id;
}
