import { describe, expect, test } from "vitest";

/** The web app's sources as text (Vite reads them: this test runs under the web's tsconfig). */
const sources = import.meta.glob<string>(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** Every import or re-export statement of a file, whole (they may span lines). */
function moduleStatements(text: string): string[] {
  return text.match(/^(?:import|export)\b[^;]*?\bfrom\s+"[^"]+";/gms) ?? [];
}

describe("the web app's use of the API contracts", () => {
  test("takes the server's schemas (src/contracts, zod) as types only, so no zod is bundled", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    const valueImports: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      for (const statement of moduleStatements(text)) {
        const from = /from\s+"([^"]+)"/.exec(statement)?.[1] ?? "";
        if (!from.includes("src/contracts/") && from !== "zod") continue;
        if (!/^(?:import|export)\s+type\b/.test(statement)) {
          valueImports.push(`${file}: ${statement}`);
        }
      }
    }
    expect(valueImports).toEqual([]);
  });

  test("the API types come from the contracts", () => {
    const types = sources["./types.ts"] ?? sources["../api/types.ts"] ?? "";
    expect(types).toContain('from "../../../src/contracts/space-contracts.ts"');
    expect(types).not.toMatch(/export interface SpaceDocument\b/);
  });
});
