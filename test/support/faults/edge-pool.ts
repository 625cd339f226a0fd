/**
 * Requests through a fleet's edges as a multi-CDN client makes them: try one edge, and on a
 * network error or a 5xx answer try the next one, each once. A request fails only when it
 * failed on every edge (the last answer or error is what the caller sees).
 */

export interface EdgeAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The edge that answered. */
  edge: string;
}

export class AllEdgesFailed extends Error {
  override name = "AllEdgesFailed";
  constructor(
    readonly path: string,
    /** The last answer's status, or null when the last attempt was a network error. */
    readonly status: number | null,
    readonly reasons: string[],
  ) {
    super(`${path}: failed on every edge (${reasons.join("; ")})`);
  }
}

export interface EdgeRequest {
  method?: string;
  body?: unknown;
  token?: string | undefined;
  headers?: Record<string, string>;
  /** Per attempt. Default 5 s. */
  timeoutMs?: number;
  /** Aborts every attempt (the caller stopped). */
  signal?: AbortSignal;
}

export class EdgePool {
  private next = 0;

  constructor(readonly edges: readonly string[]) {
    if (edges.length === 0) throw new Error("an edge pool needs at least one edge");
  }

  /** The edge a new client starts on: round robin, as DNS would spread clients. */
  startIndex(): number {
    const index = this.next;
    this.next = (this.next + 1) % this.edges.length;
    return index;
  }

  /**
   * One request, edge after edge from `start`, until one answers below 500. Resolves with
   * that answer (any status below 500); rejects with AllEdgesFailed otherwise.
   */
  async request(path: string, options: EdgeRequest = {}, start = 0): Promise<EdgeAnswer> {
    const reasons: string[] = [];
    let lastStatus: number | null = null;
    let last: EdgeAnswer | undefined;
    for (let i = 0; i < this.edges.length; i++) {
      const edge = this.edges[(start + i) % this.edges.length] as string;
      if (options.signal?.aborted) break;
      try {
        const answer = await attempt(edge, path, options);
        if (answer.status < 500) return answer;
        last = answer;
        lastStatus = answer.status;
        reasons.push(`${edge} ${answer.status}`);
      } catch (error) {
        lastStatus = null;
        reasons.push(`${edge} ${(error as Error).message}`);
      }
    }
    if (last && lastStatus !== null) {
      const error = new AllEdgesFailed(path, lastStatus, reasons);
      Object.assign(error, { answer: last });
      throw error;
    }
    throw new AllEdgesFailed(path, lastStatus, reasons);
  }
}

/** The last 5xx answer of an AllEdgesFailed, when the last attempt got one. */
export function lastAnswer(error: unknown): EdgeAnswer | undefined {
  return (error as { answer?: EdgeAnswer } | null)?.answer;
}

async function attempt(edge: string, path: string, options: EdgeRequest): Promise<EdgeAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 5_000);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const response = await fetch(edge + path, {
    method: options.method ?? "GET",
    headers,
    body,
    signal,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body: bytes, edge };
}

/** The JSON body of an answer (null when it is not JSON). */
export function json<T = any>(answer: EdgeAnswer): T {
  try {
    return JSON.parse(answer.body.toString("utf8")) as T;
  } catch {
    return null as T;
  }
}
