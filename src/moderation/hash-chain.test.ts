import { describe, expect, it } from "vitest";
import { type AuditRow, chainHash, genesisHash, verifyChain } from "./hash-chain.ts";

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = genesisHash;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      seq,
      at: new Date(Date.UTC(2026, 0, seq)).toISOString(),
      actor: "account:m1",
      action: "report.decide",
      subject: `report:r${seq}`,
      details: JSON.stringify({ n: seq }),
    };
    const hash = chainHash(content, prev);
    rows.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("audit hash chain", () => {
  it("accepts an intact chain and reports its head", async () => {
    const rows = chain(5);
    expect(await verifyChain(rows)).toEqual({ ok: true, rows: 5, head: rows[4]?.hash });
    expect(await verifyChain([])).toEqual({ ok: true, rows: 0, head: genesisHash });
  });

  it("names the row whose content changed", async () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, details: JSON.stringify({ n: 99 }) };
    expect(await verifyChain(rows)).toMatchObject({ ok: false, seq: 3, reason: "hash" });
  });

  it("names a row rehashed to hide a change by its broken link to the next", async () => {
    const rows = chain(5);
    const changed = { ...rows[1]!, actor: "account:evil" };
    rows[1] = { ...changed, hash: chainHash(changed, changed.prevHash) };
    expect(await verifyChain(rows)).toMatchObject({ ok: false, seq: 3, reason: "link" });
  });

  it("names a deleted row by the number it had", async () => {
    const rows = chain(5);
    rows.splice(3, 1);
    expect(await verifyChain(rows)).toMatchObject({ ok: false, seq: 4, reason: "gap" });
  });

  it("hashes every field, the previous hash included", () => {
    const [row] = chain(1);
    if (!row) throw new Error("no row");
    const base = chainHash(row, genesisHash);
    for (const field of ["at", "actor", "action", "subject", "details"] as const) {
      expect(chainHash({ ...row, [field]: `${row[field]}x` }, genesisHash)).not.toBe(base);
    }
    expect(chainHash({ ...row, seq: 2 }, genesisHash)).not.toBe(base);
    expect(chainHash(row, "f".repeat(64))).not.toBe(base);
  });
});
