import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configEnvNames } from "./config.ts";

describe("README configuration table", () => {
  it("documents every setting", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const name of Object.values(configEnvNames))
      expect(readme).toMatch(new RegExp(`\\|\\s*\`${name}\``));
  });
});
