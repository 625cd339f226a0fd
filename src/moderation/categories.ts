import type {
  DsaStatementCategory,
  ModerationGround,
  ReportCategory,
} from "../contracts/moderation-contracts.ts";

/**
 * A notice's category decides its ground: the DSA Transparency Database's categories are
 * kinds of illegal content (ground "illegal"); TERMS_* are grounds of Amphi's terms of
 * service (ground "terms", "content incompatible with the terms and conditions").
 */
export function groundOf(category: ReportCategory): ModerationGround {
  return category.startsWith("TERMS_") ? "terms" : "illegal";
}

/** The Transparency Database's `category` for a statement on this ground. */
export function dsaCategoryOf(category: ReportCategory): DsaStatementCategory {
  switch (category) {
    case "TERMS_HARASSMENT":
      return "STATEMENT_CATEGORY_CYBER_VIOLENCE";
    case "TERMS_SPAM":
    case "TERMS_IMPERSONATION":
    case "TERMS_SEXUAL_CONTENT":
    case "TERMS_OTHER":
      return "STATEMENT_CATEGORY_OTHER_VIOLATION_TC";
    default:
      return category;
  }
}
