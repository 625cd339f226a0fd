import { describe, expect, it } from "vitest";
import { z } from "zod";
import { textProblem, visible } from "./visible-text.ts";

describe("text people read", () => {
  it.each([
    ["right-to-left override", "evil\u202Egnp.exe"],
    ["left-to-right embedding", "a\u202Ab"],
    ["pop directional formatting", "a\u202Cb"],
    ["first strong isolate", "a\u2068b\u2069"],
    ["left-to-right mark", "a\u200Eb"],
    ["right-to-left mark", "a\u200Fb"],
    ["Arabic letter mark", "a\u061Cb"],
  ])("refuses a %s", (_name, text) => {
    expect(textProblem(text)).toBe("AMPHI_TEXT_DIRECTION_CONTROLS");
  });

  it.each([
    ["spaces", "   "],
    ["zero-width space", "\u200B"],
    ["joiners and a word joiner", "\u200C\u200D\u2060"],
    ["a BOM", "\uFEFF"],
    ["combining marks alone", "\u0301\u0308"],
    ["a Hangul filler", "\u3164"],
    ["a blank Braille pattern", "\u2800\u2800"],
    ["ideographic space and no-break space", "\u3000\u00A0"],
  ])("refuses only %s", (_name, text) => {
    expect(textProblem(text)).toBe("AMPHI_TEXT_INVISIBLE");
  });

  it.each([
    ["plain words", "Tonight at 8"],
    ["Arabic", "مرحبا بكم"],
    ["Hebrew", "שלום"],
    ["an emoji with a joiner", "👩\u200D💻"],
    ["a letter with a combining accent", "e\u0301"],
    ["nothing (an empty bio)", ""],
  ])("accepts %s", (_name, text) => {
    expect(textProblem(text)).toBeNull();
  });

  it("normalizes to NFC and names the problem in the issue", () => {
    const schema = visible(z.string().trim());
    expect(schema.parse(" e\u0301 ")).toBe("\u00E9");
    const issue = schema.safeParse("a\u202Eb").error?.issues[0] as { params?: unknown };
    expect(issue?.params).toEqual({ amphiCode: "AMPHI_TEXT_DIRECTION_CONTROLS" });
  });
});
