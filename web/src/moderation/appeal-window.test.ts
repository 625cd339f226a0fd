import { describe, expect, it } from "vitest";
import { appealOpen, formatSpan, mayAppeal } from "./appeal-window";

describe("the appeal window", () => {
  it("is open until the statement's appealableUntil, then closed", () => {
    const until = "2027-06-03T10:00:00.000Z";
    expect(appealOpen(until, Date.parse("2027-06-03T09:59:59.000Z"))).toBe(true);
    expect(appealOpen(until, Date.parse("2027-06-03T10:00:00.000Z"))).toBe(false);
    expect(appealOpen("garbage", Date.now())).toBe(false);
  });
});

describe("a span of time, as the transparency report shows it", () => {
  it("reads in the largest sensible units", () => {
    expect(formatSpan(42)).toBe("42 s");
    expect(formatSpan(125)).toBe("2 min 5 s");
    expect(formatSpan(120)).toBe("2 min");
    expect(formatSpan(3900)).toBe("1 h 5 min");
    expect(formatSpan(86_400)).toBe("1 day");
    expect(formatSpan(3 * 86_400 + 100)).toBe("3 days");
  });

  it("shows a dash when there is nothing to measure", () => {
    expect(formatSpan(null)).toBe("—");
    expect(formatSpan(-1)).toBe("—");
  });
});

describe("who may appeal", () => {
  const gia = { id: "a_gia", handle: "gia", displayName: "Gia" } as never;
  const removal = { kind: "decision", action: "remove_speaker", affectedAccount: gia } as const;
  const dismissal = { kind: "decision", action: "dismiss", affectedAccount: null } as const;

  it("is the person a restriction affects, not anyone else", () => {
    expect(mayAppeal(removal, "a_gia", null)).toBe(true);
    expect(mayAppeal(removal, "a_someone", null)).toBe(false);
    expect(mayAppeal(removal, null, "receipt-token")).toBe(false);
  });

  it("for a dismissal, is the reporter, with an account or the receipt's token", () => {
    expect(mayAppeal(dismissal, "a_reporter", null)).toBe(true);
    expect(mayAppeal(dismissal, null, "receipt-token")).toBe(true);
    expect(mayAppeal(dismissal, null, null)).toBe(false);
  });

  it("is nobody for a reversal", () => {
    expect(mayAppeal({ ...removal, kind: "reversal" }, "a_gia", null)).toBe(false);
  });
});
