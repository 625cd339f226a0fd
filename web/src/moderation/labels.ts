import type { ModerationAction, ModerationGround, ReportCategory } from "../api/types";

/**
 * What people read for the contract's enums. Typed as complete records, so a category or an
 * action added to the contract fails the type check here until it has a label.
 */
export const categoryLabels: Record<ReportCategory, string> = {
  STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH: "Illegal hate speech or incitement",
  STATEMENT_CATEGORY_VIOLENCE: "Violence or threats",
  STATEMENT_CATEGORY_CYBER_VIOLENCE: "Cyber violence (stalking, doxxing, threats online)",
  STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN: "Cyber violence against women",
  STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS:
    "Harm to civic discourse or elections",
  STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY: "A risk to public security (terrorism…)",
  STATEMENT_CATEGORY_PROTECTION_OF_MINORS: "Harm to minors",
  STATEMENT_CATEGORY_SELF_HARM: "Promoting self-harm or suicide",
  STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS: "Privacy or personal data violation",
  STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS: "Copyright or trademark infringement",
  STATEMENT_CATEGORY_SCAMS_AND_FRAUD: "Scam or fraud",
  STATEMENT_CATEGORY_CONSUMER_INFORMATION: "Misleading consumer information",
  STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS: "Unsafe or prohibited products",
  STATEMENT_CATEGORY_ANIMAL_WELFARE: "Animal cruelty",
  TERMS_HARASSMENT: "Harassment or bullying",
  TERMS_SPAM: "Spam",
  TERMS_IMPERSONATION: "Impersonation",
  TERMS_SEXUAL_CONTENT: "Sexual content",
  TERMS_OTHER: "Something else against Amphi's rules",
};

/** Categories of illegal content (ground "illegal") and of Amphi's terms (ground "terms"). */
export function groundOf(category: ReportCategory): ModerationGround {
  return category.startsWith("TERMS_") ? "terms" : "illegal";
}

export const categoryGroups: {
  ground: ModerationGround;
  label: string;
  categories: ReportCategory[];
}[] = [
  {
    ground: "illegal",
    label: "Illegal content",
    categories: (Object.keys(categoryLabels) as ReportCategory[]).filter(
      (c) => groundOf(c) === "illegal",
    ),
  },
  {
    ground: "terms",
    label: "Against Amphi's rules",
    categories: (Object.keys(categoryLabels) as ReportCategory[]).filter(
      (c) => groundOf(c) === "terms",
    ),
  },
];

export const groundLabels: Record<ModerationGround, string> = {
  illegal: "Illegal content",
  terms: "Against Amphi's terms of service",
};

export const actionLabels: Record<ModerationAction, string> = {
  dismiss: "Dismiss",
  warn: "Warn",
  remove_speaker: "Remove a speaker",
  end_space: "End the Space",
  limit_reach: "Limit reach",
  suspend: "Suspend the account",
};

/** What each action does, as the console explains it before a moderator chooses. */
export const actionHints: Record<ModerationAction, string> = {
  dismiss: "Nothing is restricted. The reporter may appeal.",
  warn: "The person gets a warning with the reasons. Nothing is restricted.",
  remove_speaker: "The speaker leaves the stage and can't come back to this Space.",
  end_space: "The Space ends now for everyone. It can't be restarted.",
  limit_reach: "No discovery, search, go-live notifications or embedding.",
  suspend: "Every session ends and logging in is refused. Their live Spaces end.",
};

/** What happened, as the affected person reads it at the top of a statement. */
export const actionHeadlines: Record<ModerationAction, string> = {
  dismiss: "A notice was dismissed",
  warn: "You received a warning",
  remove_speaker: "You were removed from a Space's stage",
  end_space: "Your Space was ended",
  limit_reach: "The reach of your content was limited",
  suspend: "Your account was suspended",
};

/** The same, for anyone else reading it (the reporter, a moderator). */
export const actionHeadlinesOthers: Record<ModerationAction, string> = {
  dismiss: "The notice was dismissed",
  warn: "A warning was given",
  remove_speaker: "A speaker was removed from the stage",
  end_space: "The Space was ended",
  limit_reach: "The reach of the content was limited",
  suspend: "An account was suspended",
};

export const targetTypeLabels = { space: "Space", clip: "Clip", account: "Account" } as const;

export const sourceLabels: Record<string, string> = {
  SOURCE_ARTICLE_16: "Notices from anyone (Art. 16)",
  SOURCE_TRUSTED_FLAGGER: "Trusted flaggers (Art. 22)",
  SOURCE_VOLUNTARY: "Own initiative",
};
