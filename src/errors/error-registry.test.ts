import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AmphiError, errorRegistry } from "./error-registry.ts";

describe("error registry", () => {
  it("is documented code by code in docs/errors.md", () => {
    const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
    for (const [code, { status }] of Object.entries(errorRegistry)) {
      expect(doc).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
    }
  });

  it("gives every code a 4xx or 5xx status and an AMPHI_ prefix", () => {
    for (const [code, { status }] of Object.entries(errorRegistry)) {
      expect(code).toMatch(/^AMPHI_[A-Z_]+$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it("renders the contract body, with details only when given", () => {
    expect(new AmphiError("AMPHI_SPACE_NOT_FOUND").toBody()).toEqual({
      error: { code: "AMPHI_SPACE_NOT_FOUND", message: "No Space has this id." },
    });
    const withDetails = new AmphiError("AMPHI_RATE_LIMITED", { details: { n: 1 }, retryAfter: 3 });
    expect(withDetails.status).toBe(429);
    expect(withDetails.retryAfter).toBe(3);
    expect(withDetails.toBody().error.details).toEqual({ n: 1 });
  });
});
