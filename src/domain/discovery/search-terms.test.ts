import { describe, expect, it } from "vitest";
import { prefixTsQuery, searchTerms } from "./search-terms.ts";

describe("search terms", () => {
  it("keeps letters and digits of any script, lower-cased, as separate words", () => {
    expect(searchTerms("  Amphi_host: Zoë's CAFÉ-talk 2026!! ")).toEqual([
      "amphi",
      "host",
      "zoë",
      "s",
      "café",
      "talk",
      "2026",
    ]);
  });

  it("finds no word in punctuation or space alone", () => {
    expect(searchTerms(" !?&|:*() ")).toEqual([]);
  });

  it("makes every word a required prefix, with no operator from the input", () => {
    expect(prefixTsQuery(searchTerms("amp & !talk | x:*"))).toBe("amp:* & talk:* & x:*");
  });
});
