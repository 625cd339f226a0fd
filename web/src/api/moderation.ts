import { apiRequest, type RequestOptions } from "./client";
import type {
  Account,
  AccountRole,
  Appeal,
  AppealDecisionInput,
  AppealInput,
  CreatedReport,
  CreateReportInput,
  DecisionInput,
  ModerationAppeal,
  ModerationReport,
  Report,
  Statement,
  TransparencyReport,
} from "./types";

const enc = encodeURIComponent;
const tokenQuery = (token?: string | null) => (token ? `?token=${enc(token)}` : "");

/** Notices, statements of reasons and appeals (docs/api.md, "Moderation and the DSA"). */
export const reportsApi = {
  /** Anyone may send a notice; the receipt's token is shown once. */
  create: (input: CreateReportInput) => apiRequest<CreatedReport>("POST", "/api/reports", input),
  /** A notice's status: the reporter logged in, or anyone holding its receipt token. */
  get: (id: string, token?: string | null, options?: RequestOptions) =>
    apiRequest<{ report: Report }>(
      "GET",
      `/api/reports/${enc(id)}${tokenQuery(token)}`,
      undefined,
      options,
    ),
  mine: (options?: RequestOptions) =>
    apiRequest<{ reports: Report[] }>("GET", "/api/reports", undefined, options),
};

/** A statement of reasons, with the appeal against it when there is one (and the server says). */
export interface StatementAnswer {
  statement: Statement;
  appeal?: Appeal | null;
}

export const statementsApi = {
  get: (id: string, token?: string | null, options?: RequestOptions) =>
    apiRequest<StatementAnswer>(
      "GET",
      `/api/statements/${enc(id)}${tokenQuery(token)}`,
      undefined,
      options,
    ),
  mine: (options?: RequestOptions) =>
    apiRequest<{ statements: Statement[] }>(
      "GET",
      "/api/accounts/me/statements",
      undefined,
      options,
    ),
  appeal: (id: string, input: AppealInput) =>
    apiRequest<{ appeal: Appeal }>("POST", `/api/statements/${enc(id)}/appeal`, input),
};

export const moderationApi = {
  /** The logged-in account with its roles (moderator, admin, trusted-flagger). */
  me: (options?: RequestOptions) =>
    apiRequest<{ account: Account; roles: AccountRole[] }>(
      "GET",
      "/api/accounts/me",
      undefined,
      options,
    ),
  queue: (status: "open" | "decided", options?: RequestOptions) =>
    apiRequest<{ reports: ModerationReport[] }>(
      "GET",
      `/api/moderation/reports?status=${status}&limit=100`,
      undefined,
      options,
    ),
  report: (id: string, options?: RequestOptions) =>
    apiRequest<{ report: ModerationReport }>(
      "GET",
      `/api/moderation/reports/${enc(id)}`,
      undefined,
      options,
    ),
  decide: (id: string, input: DecisionInput) =>
    apiRequest<{ report: ModerationReport; statement: Statement }>(
      "POST",
      `/api/moderation/reports/${enc(id)}/decision`,
      input,
    ),
  appeals: (status: "pending" | "decided", options?: RequestOptions) =>
    apiRequest<{ appeals: ModerationAppeal[] }>(
      "GET",
      `/api/moderation/appeals?status=${status}&limit=100`,
      undefined,
      options,
    ),
  decideAppeal: (id: string, input: AppealDecisionInput) =>
    apiRequest<{ appeal: ModerationAppeal; reversal: Statement | null }>(
      "POST",
      `/api/moderation/appeals/${enc(id)}/decision`,
      input,
    ),
};

export const transparencyApi = {
  report: (from: string, to: string, options?: RequestOptions) =>
    apiRequest<TransparencyReport>(
      "GET",
      `/api/transparency?from=${enc(from)}&to=${enc(to)}`,
      undefined,
      options,
    ),
};
