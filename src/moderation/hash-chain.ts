import { createHash } from "node:crypto";

/**
 * The audit log's hash chain: each row's hash is SHA-256 over its content and the previous
 * row's hash, so changing, removing or reordering any row breaks every hash after it. Pure.
 */
export interface AuditContent {
  seq: number;
  /** ISO time. */
  at: string;
  actor: string;
  action: string;
  subject: string;
  /** JSON text, hashed exactly as stored. */
  details: string;
}

export interface AuditRow extends AuditContent {
  prevHash: string;
  hash: string;
}

/** The previous hash of the first row. */
export const genesisHash = "0".repeat(64);

export function chainHash(content: AuditContent, prevHash: string): string {
  const canonical = JSON.stringify([
    content.seq,
    content.at,
    content.actor,
    content.action,
    content.subject,
    content.details,
    prevHash,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

export type ChainCheck =
  | { ok: true; rows: number; head: string }
  | { ok: false; seq: number; reason: "hash" | "link" | "gap"; rows: number };

/**
 * Checks rows in `seq` order: numbering without gaps (a missing row is named by the number it
 * had), each row's link to the one before, and each hash. Removing rows at the end leaves an
 * intact shorter chain: compare `head` with a copy kept elsewhere to catch that.
 */
export async function verifyChain(
  rows: Iterable<AuditRow> | AsyncIterable<AuditRow>,
): Promise<ChainCheck> {
  let prev = genesisHash;
  let expectedSeq = 1;
  let n = 0;
  for await (const row of rows) {
    if (row.seq !== expectedSeq) return { ok: false, seq: expectedSeq, reason: "gap", rows: n };
    if (row.prevHash !== prev) return { ok: false, seq: row.seq, reason: "link", rows: n };
    if (chainHash(row, prev) !== row.hash) {
      return { ok: false, seq: row.seq, reason: "hash", rows: n };
    }
    prev = row.hash;
    expectedSeq++;
    n++;
  }
  return { ok: true, rows: n, head: prev };
}
