import type { DsaStatement } from "../contracts/moderation-contracts.ts";
import type { StatementRecord } from "./statement-builder.ts";

/**
 * A statement of reasons in the EU DSA Transparency Database's shape (its API's field names
 * and enumerations: transparency.dsa.ec.europa.eu, "API and Schema"). Pure.
 */
const day = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null);

export function toDsaStatement(s: StatementRecord): DsaStatement {
  const illegal = s.ground === "illegal";
  const visibility =
    s.action === "remove_speaker" || s.action === "end_space"
      ? ["DECISION_VISIBILITY_CONTENT_REMOVED"]
      : s.action === "limit_reach"
        ? ["DECISION_VISIBILITY_CONTENT_DEMOTED"]
        : [];
  const suspended = s.action === "suspend";
  return {
    uuid: s.id,
    puid: `${s.subjectType}:${s.subjectId}`,
    decision_visibility: visibility,
    decision_visibility_other: null,
    end_date_visibility_restriction: visibility.length > 0 ? day(s.endsAt) : null,
    decision_monetary: null,
    end_date_monetary_restriction: null,
    decision_provision: s.action === "limit_reach" ? "DECISION_PROVISION_PARTIAL_SUSPENSION" : null,
    end_date_service_restriction: s.action === "limit_reach" ? day(s.endsAt) : null,
    decision_account: suspended
      ? s.endsAt
        ? "DECISION_ACCOUNT_SUSPENDED"
        : "DECISION_ACCOUNT_TERMINATED"
      : null,
    end_date_account_restriction: suspended ? day(s.endsAt) : null,
    account_type: "ACCOUNT_TYPE_PRIVATE",
    decision_ground: illegal
      ? "DECISION_GROUND_ILLEGAL_CONTENT"
      : "DECISION_GROUND_INCOMPATIBLE_CONTENT",
    decision_ground_reference_url: null,
    illegal_content_legal_ground: illegal ? s.legalGround : null,
    illegal_content_explanation: illegal ? s.explanation : null,
    incompatible_content_ground: illegal ? null : s.termsClause,
    incompatible_content_explanation: illegal ? null : s.explanation,
    incompatible_content_illegal: illegal ? null : "No",
    category: s.dsaCategory,
    category_specification: [],
    content_type: ["CONTENT_TYPE_AUDIO"],
    content_date: day(s.createdAt) ?? "",
    territorial_scope: s.territorialScope,
    content_language: null,
    application_date: day(s.startsAt) ?? "",
    decision_facts: s.facts,
    source_type: s.source,
    source_identity: null,
    automated_detection: "No",
    automated_decision: "AUTOMATED_DECISION_NOT_AUTOMATED",
  };
}

/** The CSV columns, in the order of the schema. */
export const dsaCsvColumns = [
  "uuid",
  "puid",
  "decision_visibility",
  "decision_visibility_other",
  "end_date_visibility_restriction",
  "decision_monetary",
  "end_date_monetary_restriction",
  "decision_provision",
  "end_date_service_restriction",
  "decision_account",
  "end_date_account_restriction",
  "account_type",
  "decision_ground",
  "decision_ground_reference_url",
  "illegal_content_legal_ground",
  "illegal_content_explanation",
  "incompatible_content_ground",
  "incompatible_content_explanation",
  "incompatible_content_illegal",
  "category",
  "category_specification",
  "content_type",
  "content_date",
  "territorial_scope",
  "content_language",
  "application_date",
  "decision_facts",
  "source_type",
  "source_identity",
  "automated_detection",
  "automated_decision",
] as const satisfies readonly (keyof DsaStatement)[];

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma, CR or LF, quotes doubled.
 * null is the empty field; arrays are their JSON text, as the database's own CSV dumps write
 * them.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = Array.isArray(value) ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The export as CSV: a header row of the field names, one row per statement, CRLF ends. */
export function toDsaCsv(rows: readonly DsaStatement[]): string {
  const lines = [dsaCsvColumns.join(",")];
  for (const row of rows) lines.push(dsaCsvColumns.map((c) => csvField(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
