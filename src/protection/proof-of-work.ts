import { createHmac, randomBytes } from "node:crypto";
import { CappedMap, type Challenge, createChallenge, randomInt, verifySolution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import type { SpentNonces } from "../shared-state/ports.ts";

/**
 * ALTCHA proof of work (altcha-lib v2 format, what the `altcha` v3 widget speaks):
 * - `GET .../challenge` answers `challenge()` as JSON: `{ parameters, signature }`. The widget
 *   (`<altcha-widget challenge="/api/spaces/ID/challenge">`, attribute `challenge` in v3, not
 *   v1's `challengeurl`) fetches it, solves it in Web Workers and produces
 *   `btoa(JSON.stringify({ challenge: { parameters, signature }, solution: { counter,
 *   derivedKey, time } }))`, which the client sends as `altcha`.
 * - Deterministic mode: the server picks the counter in [maxNumber/2, maxNumber] and signs the
 *   key it derives (HMAC key signature), so the solver must try every counter up to it
 *   (bounded, no unlucky users) while verifying costs two HMACs, not a key derivation.
 * - Each PBKDF2/SHA-256 attempt runs `cost` iterations; `cost` makes one attempt expensive
 *   enough that the browser's per-call WebCrypto overhead is small next to it, so a native
 *   solver gains little over a browser.
 * - A solved challenge is accepted once: spent nonces are remembered until the challenge
 *   expires, in a capped map (oldest dropped first when full).
 * - The widget only runs in a secure context (HTTPS, or localhost).
 *
 * Difficulty (defaults): cost 1000 x a counter in [4000, 8000], ~6000 attempts on average.
 * Measured on this project's 2-core VM (shared, load average 7-9, so pessimistic):
 * - the widget's own PBKDF2 worker code (WebCrypto) in Node: 0.35-0.58 ms per attempt, one
 *   worker ~2-4.5 s per solve at counters 5000-8800;
 * - the real widget in Chromium (2 workers on 2 cores) against this class's challenges:
 *   1.4-3.5 s per solve (counters 5500-7700), each payload accepted by verify();
 * - altcha-lib's Node solver (node:crypto): ~0.23-0.3 ms per attempt.
 * The widget splits the counters over `navigator.hardwareConcurrency` workers (at most 4 on
 * phones with <= 4 GB): ~0.5 s on a 4-8 core computer (the widget's 500 ms `minDuration`),
 * ~1-2 s on a phone with cores a few times slower. Making a challenge costs the server one
 * key derivation (~0.2 ms, 1-2 ms on the loaded VM); verifying costs two HMACs.
 */
export const proofOfWorkAlgorithm = "PBKDF2/SHA-256";

export interface ProofOfWorkOptions {
  /** HMAC secret; every API node must share it. Random per process when absent. */
  secret?: string;
  /** PBKDF2 iterations per attempt. Default 1000. */
  cost?: number;
  /** The largest counter the solver may have to reach (at least half of it). Default 8000. */
  maxNumber?: number;
  /** How long a challenge stays solvable. Default 300 s. */
  expiresInSeconds?: number;
  /** Spent challenges remembered at most (~100 bytes each). Default 100,000 (~10 MB). */
  maxSpent?: number;
  /** Milliseconds (wall clock: expiries are absolute Unix times). */
  now?: () => number;
  /** Spent nonces shared by the fleet (Redis); this process's memory only when absent. */
  nonces?: SpentNonces;
}

export type ProofOfWorkFailure = "malformed" | "expired" | "invalid" | "spent" | "wrong-space";

export type ProofOfWorkVerdict = { ok: true } | { ok: false; reason: ProofOfWorkFailure };

/** Larger payloads are refused before parsing (a real one is ~700 bytes). */
const maxPayloadLength = 4096;

export class ProofOfWork {
  readonly cost: number;
  readonly maxNumber: number;
  private readonly signatureSecret: string;
  private readonly keySignatureSecret: string;
  private readonly expiresInSeconds: number;
  private readonly now: () => number;
  /** Nonce -> expiry (ms); insertion order is spend order, roughly expiry order. */
  private readonly spent: CappedMap<string, number>;
  /** Spent nonces shared with the other nodes of a fleet. */
  private readonly nonces: SpentNonces | undefined;

  constructor(options: ProofOfWorkOptions = {}) {
    const secret = options.secret ?? randomBytes(32).toString("hex");
    // Two independent secrets from one setting: one signs challenges, one signs derived keys.
    this.signatureSecret = createHmac("sha256", secret).update("altcha-challenge").digest("hex");
    this.keySignatureSecret = createHmac("sha256", secret).update("altcha-key").digest("hex");
    this.cost = options.cost ?? 1000;
    this.maxNumber = options.maxNumber ?? 8000;
    if (!Number.isInteger(this.maxNumber) || this.maxNumber < 2) {
      throw new Error("maxNumber must be an integer >= 2");
    }
    this.expiresInSeconds = options.expiresInSeconds ?? 300;
    this.now = options.now ?? Date.now;
    this.spent = new CappedMap({ maxSize: options.maxSpent ?? 100_000 });
    this.nonces = options.nonces;
  }

  /** A fresh signed challenge, the JSON body of `GET /api/spaces/:id/challenge`. */
  async challenge(spaceId?: string): Promise<Challenge> {
    return createChallenge({
      algorithm: proofOfWorkAlgorithm,
      cost: this.cost,
      counter: randomInt(this.maxNumber, Math.ceil(this.maxNumber / 2)),
      deriveKey,
      expiresAt: Math.floor(this.now() / 1000) + this.expiresInSeconds,
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySignatureSecret,
      ...(spaceId === undefined ? {} : { data: { spaceId } }),
    });
  }

  /**
   * Checks a base64 ALTCHA payload and spends it. With `spaceId`, a challenge issued for
   * another Space is refused.
   */
  async verify(payload: string, spaceId?: string): Promise<ProofOfWorkVerdict> {
    const parsed = parsePayload(payload);
    if (!parsed) return { ok: false, reason: "malformed" };
    const { parameters } = parsed.challenge;
    const now = this.now();
    const expiresAtMs = (parameters.expiresAt ?? 0) * 1000;
    if (expiresAtMs <= now) return { ok: false, reason: "expired" };
    if (this.spent.has(parameters.nonce)) return { ok: false, reason: "spent" };
    let verified: boolean;
    try {
      const result = await verifySolution({
        challenge: parsed.challenge,
        solution: parsed.solution,
        deriveKey,
        hmacSignatureSecret: this.signatureSecret,
        hmacKeySignatureSecret: this.keySignatureSecret,
      });
      verified = result.verified;
    } catch {
      // Signed parameters that still make the library throw: treat as junk, not a fault.
      return { ok: false, reason: "invalid" };
    }
    if (!verified) return { ok: false, reason: "invalid" };
    // Only now, on a verified (signed) challenge: junk cannot fill the table.
    if (spaceId !== undefined && parameters.data?.spaceId !== spaceId) {
      return { ok: false, reason: "wrong-space" };
    }
    this.forgetExpired(now);
    // Synchronous check-and-set: two concurrent submissions of one payload cannot both pass.
    if (!this.spent.setIfAbsent(parameters.nonce, expiresAtMs)) {
      return { ok: false, reason: "spent" };
    }
    // A fleet: the same solution sent to another node is a replay too.
    if (this.nonces && !(await this.nonces.spend(parameters.nonce, expiresAtMs))) {
      return { ok: false, reason: "spent" };
    }
    return { ok: true };
  }

  /** Spent challenges remembered now (for metrics and tests). */
  spentCount(): number {
    return this.spent.size;
  }

  private forgetExpired(now: number): void {
    for (const [nonce, expiresAtMs] of this.spent) {
      if (expiresAtMs > now) break;
      this.spent.delete(nonce);
    }
  }
}

interface ParsedPayload {
  challenge: Challenge & { parameters: Challenge["parameters"] & { expiresAt: number } };
  solution: { counter: number; derivedKey: string; time?: number };
}

/** The widget's payload: base64 of `{ challenge: { parameters, signature }, solution }`. */
export function parsePayload(payload: string): ParsedPayload | null {
  if (typeof payload !== "string" || payload.length === 0 || payload.length > maxPayloadLength) {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
  } catch {
    return null;
  }
  if (!isRecord(value) || !isRecord(value.challenge) || !isRecord(value.solution)) return null;
  const { parameters, signature } = value.challenge;
  const { counter, derivedKey } = value.solution;
  if (!isRecord(parameters) || typeof signature !== "string") return null;
  if (typeof parameters.nonce !== "string" || typeof parameters.expiresAt !== "number") {
    return null;
  }
  if (typeof counter !== "number" || typeof derivedKey !== "string") return null;
  return value as unknown as ParsedPayload;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
