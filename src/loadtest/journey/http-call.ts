import { type Dispatcher, request } from "undici";

/** One HTTP answer as a load-test client sees it. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer is JSON, otherwise the text. */
  body: unknown;
  /** Round trip, request sent to body read, in milliseconds. */
  ms: number;
}

/** The request never got an answer (refused, reset, timed out...). Not thrown for aborts. */
export class NetworkFailure extends Error {
  constructor(readonly reason: string) {
    super(`network failure: ${reason}`);
    this.name = "NetworkFailure";
  }
}

export class Aborted extends Error {
  constructor() {
    super("aborted");
    this.name = "Aborted";
  }
}

/**
 * A JSON request through `dispatcher` (the client's own connection pool). Throws Aborted when
 * `signal` fires (the scenario ended) and NetworkFailure when no answer came back.
 */
export async function httpCall(
  dispatcher: Dispatcher,
  url: URL,
  options: { method?: "GET" | "POST"; body?: unknown; signal: AbortSignal },
): Promise<HttpAnswer> {
  const started = performance.now();
  try {
    const response = await request(url, {
      dispatcher,
      method: options.method ?? "GET",
      signal: options.signal,
      headers:
        options.body === undefined
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.body.text();
    const type = String(response.headers["content-type"] ?? "");
    let body: unknown = text;
    if (type.includes("json") && text) {
      try {
        body = JSON.parse(text);
      } catch {
        // left as text: the caller treats it as outside the contract
      }
    }
    return {
      status: response.statusCode,
      headers: response.headers,
      body,
      ms: performance.now() - started,
    };
  } catch (error) {
    if (options.signal.aborted) throw new Aborted();
    const e = error as { code?: string; name?: string };
    throw new NetworkFailure(e.code ?? e.name ?? "unknown");
  }
}

/** The `{error: {code}}` of an Amphi error answer, if there is one. */
export function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: { code?: unknown } }).error;
  return typeof error?.code === "string" ? error.code : undefined;
}

/** "STATUS CODE" (or "STATUS" alone), the key errors are counted under. */
export function answerKey(answer: Pick<HttpAnswer, "status" | "body">): string {
  const code = errorCodeOf(answer.body);
  return code ? `${answer.status} ${code}` : String(answer.status);
}
