/** The error codes of moderation (spread into src/errors/error-registry.ts). */
export const moderationErrorRegistry = {
  AMPHI_GROUND_REFERENCE_REQUIRED: {
    status: 400,
    message:
      "Name the law or the terms clause the decision relies on (groundReference): every decision but a dismissal needs one.",
  },
  AMPHI_PERIOD_INVALID: {
    status: 400,
    message: "The period must end after it starts and span at most 5 years.",
  },
  AMPHI_ACCOUNT_SUSPENDED: {
    status: 403,
    message: "This account is suspended; the statement of reasons says why and how to appeal.",
  },
  AMPHI_MODERATOR_ONLY: { status: 403, message: "Only moderators may do this." },
  AMPHI_APPEAL_NOT_ALLOWED: {
    status: 403,
    message:
      "Only the person a decision affects (or the reporter of a dismissed notice) may appeal it.",
  },
  AMPHI_REPORT_NOT_FOUND: { status: 404, message: "You have no report with this id." },
  AMPHI_REPORT_TARGET_NOT_FOUND: {
    status: 404,
    message: "There is no Space, clip or account with this id to report.",
  },
  AMPHI_STATEMENT_NOT_FOUND: { status: 404, message: "You have no statement with this id." },
  AMPHI_APPEAL_NOT_FOUND: { status: 404, message: "There is no appeal with this id." },
  AMPHI_REPORT_ALREADY_DECIDED: {
    status: 409,
    message:
      "This report is already decided that way: a dismissal stands alone and an action is taken once per person; an appeal is the way to change it.",
  },
  AMPHI_ACTION_NOT_APPLICABLE: {
    status: 409,
    message: "This action does not fit what was reported as it is now.",
  },
  AMPHI_APPEAL_WINDOW_CLOSED: {
    status: 409,
    message: "Appeals are taken for six months after a decision; this one is older.",
  },
  AMPHI_APPEAL_EXISTS: { status: 409, message: "You already appealed this decision." },
  AMPHI_APPEAL_ALREADY_DECIDED: { status: 409, message: "This appeal is already decided." },
  AMPHI_APPEAL_SAME_MODERATOR: {
    status: 409,
    message: "Another moderator must decide this appeal: you made the decision it contests.",
  },
} as const;
