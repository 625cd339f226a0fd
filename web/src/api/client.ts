import { ApiError, networkErrorCode } from "./api-error";
import type { ErrorBody } from "./types";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestOptions {
  signal?: AbortSignal;
  /** The browser cache mode; "no-cache" revalidates (ETag) instead of using a stale copy. */
  cache?: RequestCache;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e.code === "string" && typeof e.message === "string";
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get("Retry-After");
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * One call to the Amphi API: JSON in and out, the session cookie sent along.
 * Resolves with the parsed body; rejects with an ApiError carrying the server's error.
 */
export async function apiRequest<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (options.signal) init.signal = options.signal;
  if (options.cache) init.cache = options.cache;

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, networkErrorCode, "Can't reach Amphi. Check your connection.");
  }

  const data = parseJson(await response.text());
  if (response.ok) return data as T;
  throw errorOfResponse(response, data);
}

/** The ApiError for a failed answer: the server's `{error}` body when it sent one. */
export function errorOfResponse(response: Response, body: unknown): ApiError {
  const data = typeof body === "string" ? parseJson(body) : body;
  if (isErrorBody(data)) {
    const { code, message, details } = data.error;
    return new ApiError(response.status, code, message, details, retryAfterSeconds(response));
  }
  return new ApiError(
    response.status,
    "AMPHI_HTTP_ERROR",
    `The server answered ${response.status} ${response.statusText}`.trim(),
    undefined,
    retryAfterSeconds(response),
  );
}
