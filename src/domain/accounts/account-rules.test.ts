import { describe, expect, test } from "vitest";
import { bioSchema, displayNameSchema, handleSchema, passwordSchema } from "./account-rules.ts";

describe("handle", () => {
  test.each([
    ["ada", "ada"],
    ["Ada_Lovelace", "ada_lovelace"],
    ["  bob42  ", "bob42"],
    ["___", "___"],
    ["a".repeat(20), "a".repeat(20)],
    ["2024", "2024"],
    ["ada\n", "ada"],
  ])("%j is accepted as %j", (input, output) => {
    expect(handleSchema.parse(input)).toBe(output);
  });

  test.each([
    ["", "empty"],
    ["ab", "too short"],
    ["a".repeat(21), "too long"],
    ["ada lovelace", "a space inside"],
    ["ada-l", "a hyphen"],
    ["ada.l", "a dot"],
    ["adá", "an accented letter"],
    ["a\tda", "a tab inside"],
    ["🎙️mic", "an emoji"],
  ])("%j is refused (%s)", (input) => {
    expect(handleSchema.safeParse(input).success).toBe(false);
  });

  test("the message says what a handle may contain", () => {
    const result = handleSchema.safeParse("no way!");
    expect(result.error?.issues[0]?.message).toBe("3 to 20 letters, digits or underscores");
  });

  test("length is checked after trimming", () => {
    expect(handleSchema.safeParse(`  ${"a".repeat(20)}  `).success).toBe(true);
    expect(handleSchema.safeParse("  ab  ").success).toBe(false);
  });
});

describe("display name", () => {
  test("trimmed, 1 to 50 characters", () => {
    expect(displayNameSchema.parse("  Ada Lovelace ")).toBe("Ada Lovelace");
    expect(displayNameSchema.parse("x")).toBe("x");
    expect(displayNameSchema.parse("x".repeat(50))).toBe("x".repeat(50));
    expect(displayNameSchema.parse("Zoë 🎙️ Ωmega")).toBe("Zoë 🎙️ Ωmega");
  });

  test.each([
    ["", "must not be empty"],
    ["    ", "must not be empty"],
    ["x".repeat(51), "at most 50 characters"],
    ["Ada\u0000", "must not contain control characters"],
    ["Ada\u0007Bell", "must not contain control characters"],
    ["a\u007fb", "must not contain control characters"],
    ["a\tb", "must not contain control characters"],
  ])("%j is refused: %s", (input, message) => {
    const result = displayNameSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain(message);
  });
});

describe("password", () => {
  test("8 to 200 characters, kept exactly as typed", () => {
    expect(passwordSchema.parse("12345678")).toBe("12345678");
    expect(passwordSchema.parse("  spaces  ")).toBe("  spaces  ");
    expect(passwordSchema.parse("p".repeat(200))).toHaveLength(200);
  });

  test.each([
    ["1234567", "at least 8 characters"],
    ["", "at least 8 characters"],
    ["p".repeat(201), "at most 200 characters"],
  ])("%j is refused: %s", (input, message) => {
    expect(passwordSchema.safeParse(input).error?.issues[0]?.message).toBe(message);
  });
});

describe("bio", () => {
  test("trimmed, may be empty, at most 160 characters", () => {
    expect(bioSchema.parse("")).toBe("");
    expect(bioSchema.parse("  Podcaster.  ")).toBe("Podcaster.");
    expect(bioSchema.parse("b".repeat(160))).toHaveLength(160);
    expect(bioSchema.parse(`  ${"b".repeat(160)}  `)).toHaveLength(160);
    expect(bioSchema.parse("line one\nline two")).toBe("line one\nline two");
  });

  test("161 characters are refused", () => {
    expect(bioSchema.safeParse("b".repeat(161)).error?.issues[0]?.message).toBe(
      "at most 160 characters",
    );
  });
});
