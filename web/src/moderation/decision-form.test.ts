import { describe, expect, it } from "vitest";
import type { ModerationReport } from "../api/types";
import { actionChoices, type DecisionForm, decisionInput } from "./decision-form";
import { categoryGroups, categoryLabels, groundOf } from "./labels";

const person = (handle: string) => ({ id: `id_${handle}`, handle, displayName: handle });

function report(space: { state: string; stage: string[] } | null): ModerationReport {
  return {
    id: "r1",
    target: { type: "space", id: "s1", offsetSeconds: 30, moment: "live" },
    category: "TERMS_HARASSMENT",
    ground: "terms",
    explanation: "x",
    source: "SOURCE_ARTICLE_16",
    status: "open",
    createdAt: "2026-12-03T10:00:00.000Z",
    decision: null,
    priority: "normal",
    reporter: null,
    reporterName: null,
    reporterEmail: null,
    subject: {
      space: space && {
        id: "s1",
        title: "T",
        state: space.state,
        host: person("host"),
        stage: space.stage.map(person),
      },
      clip: null,
      account: space ? person("host") : null,
    },
    playback: null,
  } as unknown as ModerationReport;
}

const allowed = (r: ModerationReport) =>
  actionChoices(r)
    .filter((c) => c.allowed)
    .map((c) => c.action);

describe("which actions a moderator can take", () => {
  it("on a live Space with people on stage: every action", () => {
    expect(allowed(report({ state: "live", stage: ["host", "guest"] }))).toEqual([
      "dismiss",
      "warn",
      "limit_reach",
      "remove_speaker",
      "end_space",
      "suspend",
    ]);
  });

  it("on an ended Space: not the live actions, and says why", () => {
    const choices = actionChoices(report({ state: "ended", stage: [] }));
    expect(choices.filter((c) => c.allowed).map((c) => c.action)).toEqual([
      "dismiss",
      "warn",
      "limit_reach",
      "suspend",
    ]);
    expect(choices.find((c) => c.action === "end_space")?.reason).toMatch(/live/);
  });

  it("on something gone: only dismissing", () => {
    expect(allowed(report(null))).toEqual(["dismiss"]);
  });
});

const base: DecisionForm = {
  action: "limit_reach",
  category: "TERMS_HARASSMENT",
  groundReference: " Terms § 4.2 ",
  facts: "",
  explanation: " Repeated insults. ",
  durationDays: "",
  speakerHandle: "",
};

describe("the decision the form sends", () => {
  it("is trimmed; an empty duration means for good", () => {
    expect(decisionInput(base)).toEqual({
      ok: true,
      input: {
        action: "limit_reach",
        category: "TERMS_HARASSMENT",
        groundReference: "Terms § 4.2",
        explanation: "Repeated insults.",
      },
    });
    const days = decisionInput({ ...base, durationDays: "7", facts: "At 0:30." });
    expect(days.ok && days.input).toMatchObject({ durationDays: 7, facts: "At 0:30." });
  });

  it("needs a ground reference for every action but dismiss, and an explanation always", () => {
    const check = decisionInput({ ...base, groundReference: " ", explanation: "" });
    expect(check.ok ? {} : check.errors).toEqual({
      groundReference: expect.any(String),
      explanation: expect.any(String),
    });
    expect(decisionInput({ ...base, action: "dismiss", groundReference: "" }).ok).toBe(true);
  });

  it("refuses a duration that is not 1 to 3650 whole days", () => {
    for (const d of ["0", "1.5", "abc", "4000"]) {
      expect(decisionInput({ ...base, durationDays: d }).ok).toBe(false);
    }
  });

  it("names the speaker who leaves the stage, and only for that action", () => {
    expect(decisionInput({ ...base, action: "remove_speaker" }).ok).toBe(false);
    const check = decisionInput({
      ...base,
      action: "remove_speaker",
      speakerHandle: "guest",
      durationDays: "3",
    });
    expect(check.ok && check.input).toEqual(expect.objectContaining({ speakerHandle: "guest" }));
    expect(check.ok && "durationDays" in check.input).toBe(false);
  });
});

describe("the category labels", () => {
  it("split into illegal content and Amphi's rules, each labelled once", () => {
    const grouped = categoryGroups.flatMap((g) => g.categories);
    expect(grouped.sort()).toEqual(Object.keys(categoryLabels).sort());
    expect(groundOf("TERMS_SPAM")).toBe("terms");
    expect(groundOf("STATEMENT_CATEGORY_VIOLENCE")).toBe("illegal");
  });
});
