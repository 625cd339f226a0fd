import { z } from "zod";
import { plainText } from "../domain/accounts/account-rules.ts";
import { accountSchema, accountSummarySchema } from "./account-contracts.ts";

/**
 * Moderation and the EU Digital Services Act (issue 12): notices (Art. 16), roles, decisions
 * with statements of reasons (Art. 17) and their export to the DSA Transparency Database,
 * appeals (Art. 20), the transparency report (Art. 15/24). docs/api.md, "Moderation and the DSA".
 */

/** Roles an admin grants with `amphi admin grant`. Admins can do what moderators can. */
export const accountRoles = ["moderator", "admin", "trusted-flagger"] as const;
export type AccountRole = (typeof accountRoles)[number];
export const accountRoleSchema = z.enum(accountRoles).meta({ id: "AccountRole" });

/**
 * Illegal content types: the DSA Transparency Database statement categories (its July 2025
 * taxonomy), spelled as the database spells them. A notice in one of these is a notice of
 * illegal content (ground "illegal").
 */
export const illegalContentCategories = [
  "STATEMENT_CATEGORY_ANIMAL_WELFARE",
  "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
  "STATEMENT_CATEGORY_CYBER_VIOLENCE",
  "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
  "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
  "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
  "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
  "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
  "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
  "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
  "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
  "STATEMENT_CATEGORY_SELF_HARM",
  "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
  "STATEMENT_CATEGORY_VIOLENCE",
] as const;

/** Grounds in Amphi's terms of service (ground "terms": content incompatible with the terms). */
export const termsCategories = [
  "TERMS_SPAM",
  "TERMS_HARASSMENT",
  "TERMS_IMPERSONATION",
  "TERMS_SEXUAL_CONTENT",
  "TERMS_OTHER",
] as const;

export const reportCategories = [...illegalContentCategories, ...termsCategories] as const;
export type ReportCategory = (typeof reportCategories)[number];
export const reportCategorySchema = z
  .enum(reportCategories)
  .describe(
    "STATEMENT_CATEGORY_*: illegal content (the DSA Transparency Database categories); TERMS_*: against the terms of service",
  )
  .meta({ id: "ReportCategory" });

/** The DSA Transparency Database's `category` values (every one a statement can carry). */
export const dsaStatementCategories = [
  ...illegalContentCategories,
  "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
  "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
] as const;
export type DsaStatementCategory = (typeof dsaStatementCategories)[number];

export const moderationGrounds = ["illegal", "terms"] as const;
export type ModerationGround = (typeof moderationGrounds)[number];
export const moderationGroundSchema = z
  .enum(moderationGrounds)
  .describe("illegal: illegal content (law); terms: incompatible with the terms of service");

export const noticeSources = ["SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER"] as const;
export const noticeSourceSchema = z
  .enum(noticeSources)
  .describe("DSA source_type: a notice from anyone (Art. 16) or from a trusted flagger (Art. 22)");

export const reportTargetTypes = ["space", "clip", "account"] as const;
export type ReportTargetType = (typeof reportTargetTypes)[number];

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "not an id");
/** A receipt token: 43 base64url characters. */
const receiptTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "not a receipt token");

export const reportTargetSchema = z
  .object({
    type: z.enum(reportTargetTypes),
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, "not an id")
      .describe("The Space id, the clip id, or the account's handle (or id)"),
    offsetSeconds: z
      .number()
      .min(0)
      .max(7 * 86_400)
      .optional()
      .describe("A Space only: the moment reported, seconds from the Space's start"),
  })
  .meta({ id: "ReportTarget" });

export const createReportBodySchema = z.object({
  target: reportTargetSchema,
  category: reportCategorySchema,
  explanation: plainText()
    .pipe(z.string().min(1, "say why").max(5_000, "at most 5000 characters"))
    .describe("Why the reporter thinks it is illegal or against the terms (Art. 16(2)(a))"),
  name: plainText()
    .pipe(z.string().max(100, "at most 100 characters"))
    .optional()
    .describe("The reporter's name (optional)"),
  email: z.email("not an email address").max(254).optional().describe("To reach the reporter"),
  goodFaith: z
    .literal(true, { error: "confirm that the notice is accurate and complete (Art. 16(2)(d))" })
    .describe("The reporter's statement of good faith (Art. 16(2)(d))"),
});

export const moderationActions = [
  "dismiss",
  "warn",
  "remove_speaker",
  "end_space",
  "limit_reach",
  "suspend",
] as const;
export type ModerationAction = (typeof moderationActions)[number];
export const moderationActionSchema = z.enum(moderationActions).meta({ id: "ModerationAction" });

export const reportDecisionSummarySchema = z
  .object({
    action: moderationActionSchema,
    decidedAt: z.iso.datetime(),
    statementId: z
      .string()
      .describe("The statement of reasons: its explanation, and where an appeal starts"),
  })
  .meta({ id: "ReportDecisionSummary" });

export const reportSchema = z
  .object({
    id: z.string(),
    target: z.object({
      type: z.enum(reportTargetTypes),
      id: z.string().describe("The Space id, clip id or account id"),
      offsetSeconds: z.number().nullable(),
      moment: z
        .enum(["live", "replay"])
        .nullable()
        .describe("A Space moment: reported while live or from the replay; null otherwise"),
    }),
    category: reportCategorySchema,
    ground: moderationGroundSchema,
    explanation: z.string(),
    source: noticeSourceSchema,
    status: z.enum(["open", "decided"]),
    createdAt: z.iso.datetime(),
    decision: reportDecisionSummarySchema.nullable(),
  })
  .meta({ id: "Report" });

export const reportReceiptSchema = z
  .object({
    id: z.string(),
    token: z
      .string()
      .describe(
        "Secret: GET /api/reports/{id}?token=... reads the report's status and decision; shown once",
      ),
  })
  .meta({ id: "ReportReceipt" });

export const createdReportSchema = z.object({
  report: reportSchema,
  receipt: reportReceiptSchema,
});
export const reportAnswerSchema = z.object({ report: reportSchema });
export const reportListSchema = z.object({
  reports: z.array(reportSchema).describe("Newest first"),
});
export const reportParamsSchema = z.object({ id: idSchema });
export const receiptQuerySchema = z.object({
  token: receiptTokenSchema.optional().describe("The receipt token (anonymous reporters)"),
});

/** What a moderator needs to hear the reported moment. */
export const playbackSchema = z
  .object({
    kind: z.enum(["live", "recording"]),
    playlistUrl: z.string().describe("The live LL-HLS playlist, or the recording's VOD playlist"),
    downloadUrl: z.string().nullable().describe("The recording as .m4a (recordings only)"),
    offsetSeconds: z
      .number()
      .nullable()
      .describe("Where to seek in the recording (the reported moment or the clip's start)"),
  })
  .meta({ id: "Playback" });

export const moderationReportSchema = reportSchema
  .extend({
    priority: z
      .enum(["trusted-flagger", "normal"])
      .describe("The queue lists trusted flaggers' notices first, then oldest first"),
    reporter: accountSummarySchema.nullable().describe("null: reported without logging in"),
    reporterName: z.string().nullable(),
    reporterEmail: z.string().nullable(),
    subject: z
      .object({
        space: z
          .object({
            id: z.string(),
            title: z.string(),
            state: z.string(),
            host: accountSummarySchema,
            stage: z.array(accountSummarySchema).describe("Who is on stage now (live Spaces)"),
          })
          .nullable(),
        clip: z.object({ id: z.string(), spaceId: z.string(), createdBy: z.string() }).nullable(),
        account: accountSummarySchema
          .nullable()
          .describe("Whom a restriction affects by default (host, clip maker, the account)"),
      })
      .describe("The reported thing as it is now; parts are null when gone or not applicable"),
    playback: playbackSchema.nullable().describe("null: nothing to play (an account, deleted)"),
  })
  .meta({ id: "ModerationReport" });

export const moderationQueueQuerySchema = z.object({
  status: z.enum(["open", "decided"]).default("open"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const moderationQueueSchema = z
  .object({ reports: z.array(moderationReportSchema) })
  .meta({ id: "ModerationQueue" });
export const moderationReportAnswerSchema = z.object({ report: moderationReportSchema });

/** EU and EEA countries (ISO 3166-1 alpha-2, as the Transparency Database takes them). */
export const eeaCountries = [
  "AT",
  "BE",
  "BG",
  "CY",
  "CZ",
  "DE",
  "DK",
  "EE",
  "ES",
  "FI",
  "FR",
  "GR",
  "HR",
  "HU",
  "IE",
  "IT",
  "LT",
  "LU",
  "LV",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SE",
  "SI",
  "SK",
  "IS",
  "LI",
  "NO",
] as const;

export const decisionBodySchema = z.object({
  action: moderationActionSchema,
  category: reportCategorySchema
    .optional()
    .describe("The ground found; defaults to the notice's category"),
  groundReference: plainText()
    .pipe(z.string().max(500, "at most 500 characters"))
    .optional()
    .describe(
      "The law relied on (illegal) or the terms clause (terms); required for every action but dismiss",
    ),
  explanation: plainText()
    .pipe(z.string().min(1, "explain the decision").max(5_000, "at most 5000 characters"))
    .describe("Why the content is illegal / incompatible on that ground, or why it is not"),
  facts: plainText()
    .pipe(z.string().max(5_000, "at most 5000 characters"))
    .optional()
    .describe("Facts and circumstances relied on; the notice's own facts are added"),
  durationDays: z
    .number()
    .int()
    .min(1)
    .max(3_650)
    .optional()
    .describe("limit_reach and suspend: for this many days; left out: for good"),
  speakerHandle: z
    .string()
    .regex(/^[a-z0-9_]{3,20}$/, "a handle")
    .optional()
    .describe("remove_speaker: who leaves the stage (defaults to the reported account)"),
  territorialScope: z
    .array(z.enum(eeaCountries))
    .min(1)
    .max(eeaCountries.length)
    .optional()
    .describe("Where the restriction applies; defaults to every EU/EEA country"),
});

export const statementKinds = ["decision", "reversal"] as const;

export const statementSchema = z
  .object({
    id: z.string(),
    kind: z
      .enum(statementKinds)
      .describe("decision: a moderator's decision; reversal: an appeal reversed one"),
    action: moderationActionSchema,
    restrictive: z
      .boolean()
      .describe(
        "A restriction (Art. 17): everything but dismiss and warn; only these are exported",
      ),
    reportId: z.string().nullable(),
    reversesStatementId: z.string().nullable().describe("reversal: the statement it reverses"),
    affectedAccount: accountSummarySchema
      .nullable()
      .describe("Whom it restricts (or warns); null for a dismissal"),
    subject: z.object({ type: z.enum(reportTargetTypes), id: z.string() }),
    ground: moderationGroundSchema,
    category: z.enum(reportCategories),
    dsaCategory: z.enum(dsaStatementCategories),
    legalGround: z.string().nullable().describe("illegal: the law relied on"),
    termsClause: z.string().nullable().describe("terms: the clause relied on"),
    explanation: z.string(),
    facts: z.string().describe("Facts and circumstances relied on"),
    source: z.enum([...noticeSources, "SOURCE_VOLUNTARY"]),
    automatedDetection: z.boolean().describe("Always false: no automated means are used"),
    automatedDecision: z.boolean().describe("Always false"),
    territorialScope: z.array(z.string()),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime().nullable().describe("null: indefinite (for good) or one-off"),
    redress: z.string().describe("How to contest it: internal appeal, out-of-court, courts"),
    note: z
      .string()
      .nullable()
      .describe('e.g. a reversal of end_space: "an ended Space cannot be restarted"'),
    appealableUntil: z.iso.datetime().describe("Six months after the decision (Art. 20)"),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "StatementOfReasons" });

export const statementParamsSchema = z.object({ id: idSchema });

export const statementListSchema = z.object({
  statements: z.array(statementSchema).describe("Newest first"),
});
export const decisionAnswerSchema = z.object({
  report: moderationReportSchema,
  statement: statementSchema,
});

export const appealSchema = z
  .object({
    id: z.string(),
    statementId: z.string(),
    appellant: z
      .enum(["affected", "reporter"])
      .describe("The person the decision affects, or the reporter of a dismissed notice"),
    explanation: z.string(),
    status: z.enum(["pending", "upheld", "reversed"]),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    decisionExplanation: z.string().nullable(),
    reversalStatementId: z.string().nullable(),
  })
  .meta({ id: "Appeal" });

export const statementAnswerSchema = z.object({
  statement: statementSchema,
  appeal: appealSchema
    .nullable()
    .describe(
      "The reader's appeal of this statement (a moderator: the affected person's, else the reporter's); null: none",
    ),
});

export const appealBodySchema = z.object({
  explanation: plainText()
    .pipe(z.string().min(1, "say why").max(5_000, "at most 5000 characters"))
    .describe("Why the decision should change"),
  token: receiptTokenSchema
    .optional()
    .describe("A reporter without an account: the receipt token of the dismissed notice"),
});
export const appealAnswerSchema = z.object({ appeal: appealSchema });

export const moderationAppealSchema = appealSchema
  .extend({ statement: statementSchema })
  .meta({ id: "ModerationAppeal" });
export const appealQueueQuerySchema = z.object({
  status: z.enum(["pending", "decided"]).default("pending"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const appealQueueSchema = z.object({ appeals: z.array(moderationAppealSchema) });
export const appealParamsSchema = z.object({ id: idSchema });
export const appealDecisionBodySchema = z.object({
  outcome: z.enum(["upheld", "reversed"]),
  explanation: plainText().pipe(
    z.string().min(1, "explain the outcome").max(5_000, "at most 5000 characters"),
  ),
});
export const appealDecisionAnswerSchema = z.object({
  appeal: moderationAppealSchema,
  reversal: statementSchema.nullable().describe("reversed: the new statement"),
});

/** One statement in the DSA Transparency Database's shape (its field names and values). */
export const dsaStatementSchema = z
  .object({
    uuid: z.string().describe("Amphi's statement id"),
    puid: z.string().describe("Platform unique identifier of the content or account"),
    decision_visibility: z.array(z.string()),
    decision_visibility_other: z.string().nullable(),
    end_date_visibility_restriction: z.string().nullable(),
    decision_monetary: z.string().nullable(),
    end_date_monetary_restriction: z.string().nullable(),
    decision_provision: z.string().nullable(),
    end_date_service_restriction: z.string().nullable(),
    decision_account: z.string().nullable(),
    end_date_account_restriction: z.string().nullable(),
    account_type: z.string(),
    decision_ground: z.enum([
      "DECISION_GROUND_ILLEGAL_CONTENT",
      "DECISION_GROUND_INCOMPATIBLE_CONTENT",
    ]),
    decision_ground_reference_url: z.string().nullable(),
    illegal_content_legal_ground: z.string().nullable(),
    illegal_content_explanation: z.string().nullable(),
    incompatible_content_ground: z.string().nullable(),
    incompatible_content_explanation: z.string().nullable(),
    incompatible_content_illegal: z.enum(["Yes", "No"]).nullable(),
    category: z.enum(dsaStatementCategories),
    category_specification: z.array(z.string()),
    content_type: z.array(z.string()).describe('["CONTENT_TYPE_AUDIO"]'),
    content_date: z.string().describe("YYYY-MM-DD"),
    territorial_scope: z.array(z.string()),
    content_language: z.string().nullable(),
    application_date: z.string().describe("YYYY-MM-DD"),
    decision_facts: z.string(),
    source_type: z.enum([...noticeSources, "SOURCE_VOLUNTARY"]),
    source_identity: z.string().nullable(),
    automated_detection: z.enum(["Yes", "No"]),
    automated_decision: z.enum([
      "AUTOMATED_DECISION_FULLY",
      "AUTOMATED_DECISION_PARTIALLY",
      "AUTOMATED_DECISION_NOT_AUTOMATED",
    ]),
  })
  .meta({ id: "DsaStatement" });

export const dsaExportQuerySchema = z.object({
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Statements created at or after (default: 30 days before `to`)"),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Statements created before (default: now)"),
  format: z.enum(["json", "csv"]).default("json"),
});
export const dsaExportSchema = z
  .object({ statements: z.array(dsaStatementSchema) })
  .meta({ id: "DsaExport" });

export const transparencyQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

const countsBy = <T extends readonly [string, ...string[]]>(keys: T) =>
  z.record(z.enum(keys), z.number().int());

export const transparencyReportSchema = z
  .object({
    period: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
    notices: z.object({
      total: z.number().int(),
      byCategory: countsBy(reportCategories),
      bySource: countsBy(noticeSources),
      byTargetType: countsBy(reportTargetTypes),
    }),
    actions: z.object({
      total: z.number().int().describe("Decisions on notices in the period (dismissals included)"),
      byType: countsBy(moderationActions),
      byGround: countsBy(moderationGrounds),
      medianSecondsNoticeToAction: z
        .number()
        .nullable()
        .describe("Median time from a notice to its decision; null when none"),
    }),
    appeals: z.object({
      total: z.number().int(),
      pending: z.number().int(),
      upheld: z.number().int(),
      reversed: z.number().int(),
      medianSecondsToDecision: z.number().nullable(),
    }),
    automation: z.object({
      automatedDetection: z.number().int().describe("Decisions where automated means detected it"),
      automatedDecision: z.number().int(),
      description: z.string(),
    }),
    generatedAt: z.iso.datetime(),
  })
  .meta({ id: "TransparencyReport" });

/** `GET /api/accounts/me`: the account and its roles (empty for most people). */
export const myAccountAnswerSchema = z.object({
  account: accountSchema,
  roles: z.array(accountRoleSchema).describe("Granted with `amphi admin grant`"),
});

export type CreateReportInput = z.input<typeof createReportBodySchema>;
export type Report = z.infer<typeof reportSchema>;
export type ReportReceipt = z.infer<typeof reportReceiptSchema>;
export type CreatedReport = z.infer<typeof createdReportSchema>;
export type Playback = z.infer<typeof playbackSchema>;
export type ModerationReport = z.infer<typeof moderationReportSchema>;
export type DecisionInput = z.input<typeof decisionBodySchema>;
export type Statement = z.infer<typeof statementSchema>;
export type Appeal = z.infer<typeof appealSchema>;
export type AppealInput = z.input<typeof appealBodySchema>;
export type ModerationAppeal = z.infer<typeof moderationAppealSchema>;
export type AppealDecisionInput = z.input<typeof appealDecisionBodySchema>;
export type DsaStatement = z.infer<typeof dsaStatementSchema>;
export type TransparencyReport = z.infer<typeof transparencyReportSchema>;
