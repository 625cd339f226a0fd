import { describe, expect, it } from "vitest";
import { appealWindowEnd, mayAppeal, mayDecideAppeal } from "./appeal-rules.ts";
import { dsaCategoryOf, groundOf } from "./categories.ts";
import {
  applicability,
  endOf,
  isRestrictive,
  mayDecideAgain,
  type SubjectFacts,
} from "./decision-rules.ts";
import { noticeSourceOf, priorityOf } from "./roles.ts";
import { median } from "./transparency.ts";

const liveSpace: SubjectFacts = {
  targetType: "space",
  spaceState: "live",
  hostId: "host",
  clipCreatorId: null,
  accountId: null,
};

describe("decision rules", () => {
  it("says which actions fit which subject, and whom they affect", () => {
    expect(applicability("end_space", liveSpace)).toEqual({ ok: true, affectedAccountId: "host" });
    expect(applicability("remove_speaker", liveSpace, "sp")).toEqual({
      ok: true,
      affectedAccountId: "sp",
    });
    expect(applicability("remove_speaker", liveSpace)).toMatchObject({
      reason: "speaker_not_found",
    });
    expect(applicability("end_space", { ...liveSpace, spaceState: "ended" })).toMatchObject({
      reason: "space_not_live",
    });
    const clip: SubjectFacts = { ...liveSpace, targetType: "clip", clipCreatorId: "maker" };
    expect(applicability("end_space", clip)).toMatchObject({ reason: "not_a_space" });
    expect(applicability("limit_reach", clip)).toEqual({ ok: true, affectedAccountId: "maker" });
    expect(applicability("dismiss", clip)).toEqual({ ok: true, affectedAccountId: null });
    const gone: SubjectFacts = { ...liveSpace, targetType: "account", accountId: null };
    expect(applicability("suspend", gone)).toMatchObject({ reason: "no_account" });
  });

  it("counts every action but dismiss and warn as a restriction, timed only when it lasts", () => {
    expect(["dismiss", "warn"].map((a) => isRestrictive(a as "dismiss"))).toEqual([false, false]);
    expect(isRestrictive("limit_reach")).toBe(true);
    const t = new Date("2026-01-01T00:00:00Z");
    expect(endOf("suspend", t, 2)?.toISOString()).toBe("2026-01-03T00:00:00.000Z");
    expect(endOf("suspend", t, undefined)).toBeNull();
    expect(endOf("end_space", t, 2)).toBeNull();
  });

  it("maps categories to grounds and DSA categories", () => {
    expect(groundOf("STATEMENT_CATEGORY_VIOLENCE")).toBe("illegal");
    expect(groundOf("TERMS_SPAM")).toBe("terms");
    expect(dsaCategoryOf("STATEMENT_CATEGORY_VIOLENCE")).toBe("STATEMENT_CATEGORY_VIOLENCE");
    expect(dsaCategoryOf("TERMS_HARASSMENT")).toBe("STATEMENT_CATEGORY_CYBER_VIOLENCE");
    expect(dsaCategoryOf("TERMS_OTHER")).toBe("STATEMENT_CATEGORY_OTHER_VIOLATION_TC");
  });

  it("lets one notice carry several actions, but a dismissal alone and each action once per person", () => {
    const limit = { action: "limit_reach" as const, affectedAccountId: "host" };
    const remove = { action: "remove_speaker" as const, affectedAccountId: "sp" };
    expect(mayDecideAgain([], { action: "dismiss", affectedAccountId: null })).toBe(true);
    expect(mayDecideAgain([limit], remove)).toBe(true);
    expect(mayDecideAgain([limit, remove], { ...remove, affectedAccountId: "other" })).toBe(true);
    expect(mayDecideAgain([limit, remove], remove)).toBe(false);
    expect(mayDecideAgain([limit], { action: "dismiss", affectedAccountId: null })).toBe(false);
    expect(mayDecideAgain([{ action: "dismiss", affectedAccountId: null }], limit)).toBe(false);
  });

  it("puts trusted flaggers first", () => {
    expect(noticeSourceOf(["trusted-flagger"])).toBe("SOURCE_TRUSTED_FLAGGER");
    expect(noticeSourceOf(["moderator"])).toBe("SOURCE_ARTICLE_16");
    expect(priorityOf("SOURCE_TRUSTED_FLAGGER")).toBeLessThan(priorityOf("SOURCE_ARTICLE_16"));
  });
});

describe("appeal rules", () => {
  const decidedAt = new Date("2026-01-31T12:00:00Z");
  const claim = {
    action: "suspend",
    affectedAccountId: "a",
    createdAt: decidedAt,
    kind: "decision",
    accountId: "a",
    isReporter: false,
  };

  it("lets the affected person appeal for six months, and nobody else", () => {
    expect(appealWindowEnd(decidedAt).toISOString()).toBe("2026-07-31T12:00:00.000Z");
    expect(mayAppeal(claim, new Date("2026-07-31T11:00:00Z"))).toEqual({
      ok: true,
      appellant: "affected",
    });
    expect(mayAppeal(claim, new Date("2026-08-01T00:00:00Z"))).toEqual({
      ok: false,
      code: "AMPHI_APPEAL_WINDOW_CLOSED",
    });
    expect(mayAppeal({ ...claim, accountId: "b" }, decidedAt)).toMatchObject({ ok: false });
    expect(mayAppeal({ ...claim, kind: "reversal" }, decidedAt)).toMatchObject({ ok: false });
  });

  it("lets the reporter appeal a dismissal only", () => {
    const dismissal = { ...claim, action: "dismiss", affectedAccountId: null, accountId: null };
    expect(mayAppeal({ ...dismissal, isReporter: true }, decidedAt)).toEqual({
      ok: true,
      appellant: "reporter",
    });
    expect(mayAppeal({ ...dismissal, isReporter: false }, decidedAt)).toMatchObject({ ok: false });
    expect(mayAppeal({ ...claim, accountId: "r", isReporter: true }, decidedAt)).toMatchObject({
      ok: false,
    });
  });

  it("needs another moderator to decide", () => {
    expect(mayDecideAppeal("m1", "m1")).toBe(false);
    expect(mayDecideAppeal("m1", "m2")).toBe(true);
  });

  it("takes medians of odd and even counts", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
