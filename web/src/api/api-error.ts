/** A failed API call: the server's `{error: {code, message, details}}`, plus the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Seconds to wait, from `Retry-After` on 429 and 503 answers. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: unknown,
    retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

/** Code used when the server could not be reached at all. */
export const networkErrorCode = "AMPHI_NETWORK";

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

interface FieldIssue {
  path: unknown[];
  message: string;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.path) && typeof v.message === "string";
}

/** Where in the request an issue lies, when the server names it first (`["body", "title"]`). */
const locations = new Set(["body", "query", "params", "headers", "querystring"]);

/**
 * The per-field messages of a 400 AMPHI_VALIDATION_FAILED answer, keyed by field name
 * (`{title: "must not be empty"}`), from details like `[{path: ["body", "title"], message}]`
 * or `[{path: ["title"], message}]`. Empty for any other error.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return out;
  for (const issue of error.details) {
    if (!isFieldIssue(issue)) continue;
    const path = issue.path.map(String);
    if (path.length > 1 && locations.has(path[0] ?? "")) path.shift();
    const key = path[0] ?? "";
    if (key && !(key in out)) out[key] = issue.message;
  }
  return out;
}

/** Whether any of `names` has a message in `fields`: if none, show the error above the form. */
export function showsFieldError(fields: Record<string, string>, names: readonly string[]): boolean {
  return names.some((name) => fields[name] !== undefined);
}
