import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hlsUrlSecretFile, loadHlsUrlSecret } from "./hls-url-secret.ts";
import { HlsUrlSigner } from "./hls-url-signer.ts";

/** The expiry and signature of a signed path. */
function parseSignedHlsPath(path: string) {
  const match = /^\/hls\/[^/]+\/([0-9]+)\/([A-Za-z0-9_-]+)\//.exec(path);
  return match ? { expires: match[1] ?? "", signature: match[2] ?? "" } : null;
}

const secret = "unit-test-secret-0123456789-abcdefghijklmn";
const W = 300;
const signer = new HlsUrlSigner(secret, W);
const at = (seconds: number) => seconds * 1000;

describe("HlsUrlSigner", () => {
  it("gives everyone in the same window the same prefix, and a new one in the next window", () => {
    const start = 1_764_734_400; // a multiple of 300
    const first = signer.playlistUrl("s1", at(start));
    expect(signer.playlistUrl("s1", at(start + 1))).toBe(first);
    expect(signer.playlistUrl("s1", at(start + W - 1))).toBe(first);
    expect(signer.playlistUrl("s1", at(start + W))).not.toBe(first);
    expect(signer.playlistUrl("s2", at(start))).not.toBe(first);
    expect(first).toMatch(/^\/hls\/s1\/[0-9]+\/[A-Za-z0-9_-]{22}\/index\.m3u8$/);
  });

  it("hands out URLs good for at least one whole window more, at most two", () => {
    for (const offset of [0, 1, 150, 299]) {
      const now = at(1_764_734_400 + offset);
      const { expiresAt } = signer.prefix("s1", now);
      expect(expiresAt.getTime() - now).toBeGreaterThan(W * 1000);
      expect(expiresAt.getTime() - now).toBeLessThanOrEqual(2 * W * 1000);
    }
  });

  it('signs as nginx\'s secure_link_md5 "$expires:$space:secret" does (base64url MD5)', () => {
    const now = at(1_764_734_400);
    const parsed = parseSignedHlsPath(signer.playlistUrl("s1", now));
    const expected = createHash("md5")
      .update(`${parsed?.expires}:s1:${secret}`)
      .digest("base64")
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect(parsed?.signature).toBe(expected);
  });

  it("accepts its own prefix until it expires, and nothing tampered", () => {
    const now = at(1_764_734_400);
    const p = parseSignedHlsPath(signer.playlistUrl("s1", now));
    if (!p) throw new Error("unparsed");
    expect(signer.check("s1", p.expires, p.signature, now)).toBe("ok");
    expect(signer.check("s1", p.expires, p.signature, Number(p.expires) * 1000)).toBe("ok");
    expect(signer.check("s1", p.expires, p.signature, Number(p.expires) * 1000 + 1001)).toBe(
      "expired",
    );
    expect(signer.check("s2", p.expires, p.signature, now)).toBe("invalid");
    expect(signer.check("s1", String(Number(p.expires) + W), p.signature, now)).toBe("invalid");
    const flipped = `${p.signature[0] === "A" ? "B" : "A"}${p.signature.slice(1)}`;
    expect(signer.check("s1", p.expires, flipped, now)).toBe("invalid");
    expect(signer.check("s1", "x", p.signature, now)).toBe("invalid");
    expect(signer.check("s1", p.expires, "short", now)).toBe("invalid");
    const other = new HlsUrlSigner(`${secret}x`, W);
    expect(other.check("s1", p.expires, p.signature, now)).toBe("invalid");
  });

  it("refuses a secret that would not be safe or strong in an nginx configuration", () => {
    for (const bad of ["", "short", `${"a".repeat(40)}"; evil`, `${"a".repeat(40)} $x`]) {
      expect(() => new HlsUrlSigner(bad, W)).toThrow();
    }
  });
});

describe("loadHlsUrlSecret", () => {
  it("uses the configured secret, else makes one once and keeps it private in DATA_DIR", async () => {
    expect(await loadHlsUrlSecret(secret, "/nonexistent")).toBe(secret);
    const dir = mkdtempSync(join(tmpdir(), "amphi-hls-secret-"));
    try {
      const first = await loadHlsUrlSecret(undefined, join(dir, "data"));
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await loadHlsUrlSecret(undefined, join(dir, "data"))).toBe(first);
      expect(statSync(hlsUrlSecretFile(join(dir, "data"))).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
