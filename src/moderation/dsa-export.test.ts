import { describe, expect, it } from "vitest";
import { csvField, dsaCsvColumns, toDsaCsv, toDsaStatement } from "./dsa-export.ts";
import { decisionStatement } from "./statement-builder.ts";

const notice = {
  id: "rep_1",
  targetType: "space" as const,
  targetId: "sp1",
  category: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH" as const,
  source: "SOURCE_TRUSTED_FLAGGER",
  moment: "live" as const,
  offsetSeconds: 90,
  createdAt: new Date("2026-12-01T10:00:00Z"),
};
const now = new Date("2026-12-01T10:05:00Z");

function statement(decision: Parameters<typeof decisionStatement>[0]["decision"]) {
  return decisionStatement({
    id: "st_1",
    notice,
    decision,
    affectedAccountId: "acc1",
    moderatorId: "mod1",
    now,
  });
}

describe("DSA Transparency Database export", () => {
  it("maps a suspension for a period and one for good to the account decision", () => {
    const period = toDsaStatement(
      statement({
        action: "suspend",
        groundReference: "§ 130 StGB",
        explanation: "x",
        durationDays: 10,
      }),
    );
    expect(period).toMatchObject({
      decision_account: "DECISION_ACCOUNT_SUSPENDED",
      end_date_account_restriction: "2026-12-11",
      decision_visibility: [],
      decision_ground: "DECISION_GROUND_ILLEGAL_CONTENT",
      illegal_content_legal_ground: "§ 130 StGB",
      illegal_content_explanation: "x",
      incompatible_content_ground: null,
      source_type: "SOURCE_TRUSTED_FLAGGER",
      application_date: "2026-12-01",
      automated_detection: "No",
      automated_decision: "AUTOMATED_DECISION_NOT_AUTOMATED",
      content_type: ["CONTENT_TYPE_AUDIO"],
      puid: "space:sp1",
    });
    const forGood = toDsaStatement(
      statement({ action: "suspend", groundReference: "law", explanation: "x" }),
    );
    expect(forGood.decision_account).toBe("DECISION_ACCOUNT_TERMINATED");
    expect(forGood.end_date_account_restriction).toBeNull();
    expect(forGood.territorial_scope).toHaveLength(30);
  });

  it("maps removals to content removed and reach limits to demotion, terms to incompatible content", () => {
    const removed = toDsaStatement(
      statement({
        action: "end_space",
        groundReference: "Terms 2",
        explanation: "y",
        category: "TERMS_SPAM",
      }),
    );
    expect(removed).toMatchObject({
      decision_visibility: ["DECISION_VISIBILITY_CONTENT_REMOVED"],
      decision_ground: "DECISION_GROUND_INCOMPATIBLE_CONTENT",
      incompatible_content_ground: "Terms 2",
      incompatible_content_explanation: "y",
      incompatible_content_illegal: "No",
      illegal_content_legal_ground: null,
      category: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    });
    const demoted = toDsaStatement(
      statement({
        action: "limit_reach",
        groundReference: "law",
        explanation: "z",
        durationDays: 1,
      }),
    );
    expect(demoted).toMatchObject({
      decision_visibility: ["DECISION_VISIBILITY_CONTENT_DEMOTED"],
      end_date_visibility_restriction: "2026-12-02",
      decision_provision: "DECISION_PROVISION_PARTIAL_SUSPENSION",
    });
  });

  it("quotes CSV fields as RFC 4180 says", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("line\r\nbreak")).toBe('"line\r\nbreak"');
    expect(csvField(["DE", "FR"])).toBe('"[""DE"",""FR""]"');
    const row = toDsaStatement(
      statement({ action: "limit_reach", groundReference: 'a "quoted", law', explanation: "e" }),
    );
    const csv = toDsaCsv([row]);
    const [header, line, end] = csv.split("\r\n");
    expect(header).toBe(dsaCsvColumns.join(","));
    expect(line).toContain('"a ""quoted"", law"');
    expect(end).toBe("");
  });
});
