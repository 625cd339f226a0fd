import { readFileSync } from "node:fs";
import { type Challenge, solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { describe, expect, it } from "vitest";
import { ProofOfWork, parsePayload } from "./proof-of-work.ts";

interface Solution {
  counter: number;
  derivedKey: string;
  time?: number;
}

/**
 * Runs the `altcha` v3 widget's own PBKDF2 worker (WebCrypto, as in a browser) on a challenge,
 * as one worker would, and returns the payload the widget would submit.
 */
const widgetWorker = readFileSync(
  new URL("../../node_modules/altcha/dist/workers/pbkdf2.js", import.meta.url),
  "utf8",
);

async function solveLikeTheWidget(challenge: Challenge): Promise<{
  payload: string;
  solution: Solution;
}> {
  const body = JSON.parse(JSON.stringify(challenge)) as Challenge; // what fetch().json() gives
  const solution = await new Promise<Solution>((resolve, reject) => {
    const self: { onmessage?: (m: { data: unknown }) => void; postMessage: (m: unknown) => void } =
      {
        postMessage: (message) => {
          const data = message as Solution & { error?: unknown };
          if (data?.error) reject(data.error);
          else resolve(data);
        },
      };
    new Function("self", widgetWorker)(self);
    self.onmessage?.({
      data: {
        challenge: body,
        counterMode: "uint32",
        counterStart: 0,
        counterStep: 1,
        timeout: 90_000,
        type: "work",
      },
    });
  });
  // Exactly the widget's verify(): the payload it puts in its hidden field.
  const payload = btoa(
    JSON.stringify({
      challenge: { parameters: body.parameters, signature: body.signature },
      solution,
    }),
  );
  return { payload, solution };
}

function flipFirstDigit(hex: string): string {
  return (hex.startsWith("0") ? "1" : "0") + hex.slice(1);
}

const easy = { secret: "test-secret", cost: 10, maxNumber: 40 };

describe("ProofOfWork", () => {
  it("issues signed challenges in the shape the widget accepts, expiring in 5 minutes", async () => {
    const pow = new ProofOfWork({ secret: "s" });
    const challenge = await pow.challenge("space-1");
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.parameters).toMatchObject({
      algorithm: "PBKDF2/SHA-256",
      cost: 1000,
      keyLength: 32,
      data: { spaceId: "space-1" },
    });
    for (const field of ["nonce", "salt", "keyPrefix", "keySignature"] as const) {
      expect(challenge.parameters[field]).toMatch(/^[0-9a-f]+$/);
    }
    const inSeconds = (challenge.parameters.expiresAt ?? 0) - Date.now() / 1000;
    expect(inSeconds).toBeGreaterThan(295);
    expect(inSeconds).toBeLessThanOrEqual(300);
  });

  it("accepts a payload solved by the widget's own worker, once", async () => {
    const pow = new ProofOfWork(easy);
    const { payload, solution } = await solveLikeTheWidget(await pow.challenge("space-1"));
    expect(solution.counter).toBeGreaterThanOrEqual(20);
    expect(solution.counter).toBeLessThanOrEqual(40);
    expect(await pow.verify(payload, "space-1")).toEqual({ ok: true });
    expect(await pow.verify(payload, "space-1")).toEqual({ ok: false, reason: "spent" });
  });

  it("accepts a solution from altcha-lib's solver too", async () => {
    const pow = new ProofOfWork(easy);
    const challenge = await pow.challenge();
    const solution = await solveChallenge({ challenge, deriveKey });
    const payload = Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
    expect(await pow.verify(payload)).toEqual({ ok: true });
  });

  it("lets only one of two concurrent submissions of the same payload through", async () => {
    const pow = new ProofOfWork(easy);
    const { payload } = await solveLikeTheWidget(await pow.challenge());
    const verdicts = await Promise.all([pow.verify(payload), pow.verify(payload)]);
    expect(verdicts.filter((v) => v.ok)).toHaveLength(1);
    expect(verdicts).toContainEqual({ ok: false, reason: "spent" });
  });

  it("refuses a wrong solution and tampered parameters", async () => {
    const pow = new ProofOfWork(easy);
    const challenge = await pow.challenge();
    const { solution } = await solveLikeTheWidget(challenge);
    const wrongKey = btoa(
      JSON.stringify({
        challenge,
        solution: { ...solution, derivedKey: flipFirstDigit(solution.derivedKey) },
      }),
    );
    expect(await pow.verify(wrongKey)).toEqual({ ok: false, reason: "invalid" });
    const cheaper = btoa(
      JSON.stringify({
        challenge: { ...challenge, parameters: { ...challenge.parameters, cost: 1 } },
        solution,
      }),
    );
    expect(await pow.verify(cheaper)).toEqual({ ok: false, reason: "invalid" });
    // The genuine payload still works: failed attempts do not spend it.
    expect(await pow.verify(btoa(JSON.stringify({ challenge, solution })))).toEqual({ ok: true });
  });

  it("refuses challenges signed by another secret", async () => {
    const ours = new ProofOfWork(easy);
    const theirs = new ProofOfWork({ ...easy, secret: "another-secret" });
    const { payload } = await solveLikeTheWidget(await theirs.challenge());
    expect(await ours.verify(payload)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a challenge issued for another Space", async () => {
    const pow = new ProofOfWork(easy);
    const { payload } = await solveLikeTheWidget(await pow.challenge("space-1"));
    expect(await pow.verify(payload, "space-2")).toEqual({ ok: false, reason: "wrong-space" });
    expect(await pow.verify(payload, "space-1")).toEqual({ ok: true });
  });

  it("refuses expired challenges", async () => {
    let shift = 0;
    const pow = new ProofOfWork({ ...easy, now: () => Date.now() + shift });
    const { payload } = await solveLikeTheWidget(await pow.challenge());
    shift = 301_000;
    expect(await pow.verify(payload)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses malformed payloads without throwing", async () => {
    const pow = new ProofOfWork(easy);
    for (const junk of [
      "",
      "not base64 at all",
      btoa("[]"),
      btoa(JSON.stringify({ challenge: {}, solution: {} })),
      btoa(JSON.stringify({ challenge: { parameters: { nonce: "ab" } }, solution: null })),
      "A".repeat(10_000),
    ]) {
      expect(await pow.verify(junk)).toEqual({ ok: false, reason: "malformed" });
    }
    expect(parsePayload(btoa("{}"))).toBeNull();
  });

  it("keeps spent challenges within its cap and forgets them once expired", async () => {
    let shift = 0;
    const pow = new ProofOfWork({ ...easy, maxSpent: 3, now: () => Date.now() + shift });
    for (let i = 0; i < 5; i++) {
      const { payload } = await solveLikeTheWidget(await pow.challenge());
      expect(await pow.verify(payload)).toEqual({ ok: true });
    }
    expect(pow.spentCount()).toBe(3);
    shift = 301_000;
    const { payload } = await solveLikeTheWidget(await pow.challenge());
    expect(await pow.verify(payload)).toEqual({ ok: true });
    expect(pow.spentCount()).toBe(1);
  });

  it("measures a solve at the default difficulty with the widget's worker (logged)", async () => {
    const pow = new ProofOfWork();
    const challenge = await pow.challenge();
    const started = performance.now();
    const { payload, solution } = await solveLikeTheWidget(challenge);
    const ms = performance.now() - started;
    console.log(
      `altcha default difficulty (cost ${pow.cost}, maxNumber ${pow.maxNumber}): ` +
        `counter ${solution.counter} solved in ${Math.round(ms)} ms by one widget worker in Node`,
    );
    expect(await pow.verify(payload)).toEqual({ ok: true });
  }, 60_000);
});
