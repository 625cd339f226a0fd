import { pbkdf2Sync } from "node:crypto";
import { solveChallenge } from "altcha-lib";
import type { Challenge, DeriveKeyFunction } from "altcha-lib/types";
import { solveChallenge as solveChallengeV1 } from "altcha-lib/v1";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

const pbkdf2Digests: Record<string, string> = {
  "PBKDF2/SHA-256": "sha256",
  "PBKDF2/SHA-384": "sha384",
  "PBKDF2/SHA-512": "sha512",
};

/**
 * PBKDF2 computed synchronously. altcha-lib's own deriveKey goes through the libuv pool, one
 * event-loop turn per attempt: in a busy load generator (thousands of clients in one process)
 * each turn waits behind everyone else, and a 50-attempt challenge took seconds. A browser
 * solves in a dedicated Web Worker; solving in one go (a few ms of CPU) is the closer model.
 */
const deriveKeySync: DeriveKeyFunction = async (parameters, salt, password) => {
  const digest = pbkdf2Digests[parameters.algorithm.toUpperCase()];
  if (!digest) throw new Error(`unsupported ALTCHA algorithm ${parameters.algorithm}`);
  return {
    parameters: {},
    derivedKey: pbkdf2Sync(password, salt, parameters.cost, parameters.keyLength ?? 32, digest),
  };
};

/** The key derivation for a challenge's algorithm (altcha-lib's, loaded on first use). */
async function deriveKeyFor(algorithm: string): Promise<DeriveKeyFunction> {
  const upper = algorithm.toUpperCase();
  if (upper.startsWith("PBKDF2/")) return deriveKeySync;
  if (upper.startsWith("SHA-")) return (await import("altcha-lib/algorithms/sha")).deriveKey;
  if (upper === "SCRYPT") return (await import("altcha-lib/algorithms/scrypt")).deriveKey;
  if (upper === "ARGON2ID") return (await import("altcha-lib/algorithms/argon2id")).deriveKey;
  throw new Error(`unsupported ALTCHA algorithm ${algorithm}`);
}

/**
 * Solves an ALTCHA challenge the way the widget does and returns the base64 payload to send
 * back as `altcha`. Speaks ALTCHA v2 (`{parameters, signature}`, altcha-lib's solveChallenge
 * with the algorithm's deriveKey) and, for older servers, v1 (`{algorithm, challenge, salt,
 * signature}`). Throws if the challenge is malformed or not solved before `signal` or the
 * timeout.
 */
export async function solveAltcha(
  challenge: unknown,
  signal: AbortSignal,
  timeoutMs = 60_000,
): Promise<string> {
  if (!isObject(challenge)) throw new Error("the challenge is not a JSON object");
  if (isObject(challenge.parameters)) {
    const v2 = challenge as unknown as Challenge;
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal.addEventListener("abort", stop, { once: true });
    try {
      const solution = await solveChallenge({
        challenge: v2,
        deriveKey: await deriveKeyFor(v2.parameters.algorithm),
        controller,
        timeout: timeoutMs,
      });
      if (!solution) throw new Error("challenge not solved in time");
      const payload = {
        challenge: { parameters: v2.parameters, signature: v2.signature },
        solution,
      };
      return Buffer.from(JSON.stringify(payload)).toString("base64");
    } finally {
      signal.removeEventListener("abort", stop);
    }
  }
  const { algorithm, salt, signature, maxnumber, maxNumber } = challenge;
  const target = challenge.challenge;
  if (typeof target !== "string" || typeof salt !== "string") {
    throw new Error("the challenge is neither ALTCHA v2 nor v1");
  }
  const max =
    typeof maxnumber === "number"
      ? maxnumber
      : typeof maxNumber === "number"
        ? maxNumber
        : undefined;
  const algo = typeof algorithm === "string" ? algorithm : "SHA-256";
  const { promise, controller } = solveChallengeV1(target, salt, algo, max);
  const stop = () => controller.abort();
  signal.addEventListener("abort", stop, { once: true });
  try {
    const solution = await promise;
    if (!solution) throw new Error("challenge not solved");
    const payload = {
      algorithm: algo,
      challenge: target,
      number: solution.number,
      salt,
      signature,
      took: solution.took,
    };
    return Buffer.from(JSON.stringify(payload)).toString("base64");
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
