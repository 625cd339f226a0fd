import { describe, expect, it } from "vitest";
import { textWidth, wrapText } from "./text-measure.ts";

describe("text measure", () => {
  it("measures with DejaVu Sans advances (bold wider than regular)", () => {
    expect(textWidth("M", 1000, "regular")).toBe(863);
    expect(textWidth("M", 1000, "bold")).toBe(995);
    expect(textWidth("日本", 100, "bold")).toBe(200);
  });

  it("wraps words into lines that fit, and says when nothing was cut", () => {
    const wrapped = wrapText("one two three four five six", {
      size: 10,
      weight: "regular",
      maxWidth: 60,
      maxLines: 5,
    });
    expect(wrapped.cut).toBe(false);
    expect(wrapped.lines.join(" ")).toBe("one two three four five six");
    for (const line of wrapped.lines)
      expect(textWidth(line, 10, "regular")).toBeLessThanOrEqual(60);
  });

  it("ends the last line with an ellipsis when the text does not fit", () => {
    const wrapped = wrapText("alpha beta gamma delta epsilon zeta eta theta", {
      size: 10,
      weight: "bold",
      maxWidth: 80,
      maxLines: 2,
    });
    expect(wrapped.cut).toBe(true);
    expect(wrapped.lines).toHaveLength(2);
    expect(wrapped.lines[1]).toMatch(/…$/);
    for (const line of wrapped.lines) expect(textWidth(line, 10, "bold")).toBeLessThanOrEqual(80);
  });

  it("breaks a word longer than a line", () => {
    const wrapped = wrapText("x".repeat(100), {
      size: 10,
      weight: "regular",
      maxWidth: 100,
      maxLines: 3,
    });
    expect(wrapped.lines).toHaveLength(3);
    expect(wrapped.cut).toBe(true);
    for (const line of wrapped.lines)
      expect(textWidth(line, 10, "regular")).toBeLessThanOrEqual(100);
  });
});
