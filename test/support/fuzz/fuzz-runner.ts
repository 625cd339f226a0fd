import fc from "fast-check";
import { Pool } from "undici";
import { errorRegistry } from "../../../src/errors/error-registry.ts";
import type { FuzzFixture } from "./fuzz-fixture.ts";
import {
  hiddenOperations,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  refResolver,
} from "./fuzz-operations.ts";
import {
  curlOf,
  type FuzzRequest,
  type RenderedRequest,
  render,
  requestsFor,
} from "./fuzz-requests.ts";

export interface FuzzOptions {
  base: string;
  fixture: FuzzFixture;
  /** Requests to send in all (shrinking a failure adds its own). */
  requests: number;
  /** Concurrent clients, each its own fast-check run. */
  clients: number;
  seed?: number;
  /** Also fuzz routes the OpenAPI document hides (pages, media, health). */
  hidden?: boolean;
  /** Called now and then with the requests sent so far. */
  progress?: (sent: number, serverErrors: number) => void;
  /** Aborting stops the clients after their current batch; the summary says so. */
  signal?: AbortSignal;
}

export interface FuzzFailure {
  route: string;
  problem: string;
  /** The shrunk request, as a curl command. */
  reproduce: string;
  seed: number;
}

export interface FuzzSummary {
  /** Stopped before all requests were sent (a signal). */
  stoppedEarly: boolean;
  requests: number;
  seconds: number;
  operations: number;
  perRoute: Record<string, number>;
  statuses: Record<string, number>;
  perRouteStatuses: Record<string, Record<string, number>>;
  /** Mean answer time per route, ms. */
  perRouteMeanMs: Record<string, number>;
  serverErrors: number;
  failures: FuzzFailure[];
  /** Requests the client could not even send (a header value fetch refuses). */
  unsendable: number;
  healthChecks: number;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * What every answer must be: no 5xx; on an /api route a 4xx is JSON per the error contract
 * (`{ error: { code, message, details? } }`) with a registered code whose status it carries;
 * no stack trace anywhere. Returns the problem, or undefined.
 */
export function problemWith(op: Operation, answer: Answer): string | undefined {
  const excerpt = answer.text.slice(0, 300);
  if (answer.status >= 500) return `${answer.status}: ${excerpt}`;
  if (/\n\s+at .+:\d+:\d+/.test(answer.text)) return `stack trace in the answer: ${excerpt}`;
  if (!op.errorContract || answer.status < 400) return undefined;
  const type = String(answer.headers["content-type"] ?? "");
  if (!type.startsWith("application/json")) return `${answer.status} as ${type}: ${excerpt}`;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `${answer.status} with a body that is not JSON: ${excerpt}`;
  }
  const error = body?.error;
  if (typeof error?.code !== "string" || typeof error?.message !== "string") {
    return `${answer.status} without { error: { code, message } }: ${excerpt}`;
  }
  const known = (errorRegistry as Record<string, { status: number }>)[error.code];
  if (!known) return `${answer.status} with an unregistered code ${error.code}`;
  if (known.status !== answer.status) {
    return `${answer.status} with ${error.code}, registered as ${known.status}`;
  }
  return undefined;
}

class Tally {
  sent = 0;
  unsendable = 0;
  serverErrors = 0;
  perRoute: Record<string, number> = {};
  statuses: Record<string, number> = {};
  perRouteStatuses: Record<string, Record<string, number>> = {};
  perRouteMs: Record<string, number> = {};

  count(route: string, status: number | string, ms: number): void {
    this.sent++;
    this.perRouteMs[route] = (this.perRouteMs[route] ?? 0) + ms;
    this.perRoute[route] = (this.perRoute[route] ?? 0) + 1;
    const key = String(status);
    this.statuses[key] = (this.statuses[key] ?? 0) + 1;
    const byRoute = this.perRouteStatuses[route] ?? {};
    this.perRouteStatuses[route] = byRoute;
    byRoute[key] = (byRoute[key] ?? 0) + 1;
    if (typeof status === "number" && status >= 500) this.serverErrors++;
  }
}

class NotSent extends Error {}

/**
 * Sends generated requests to every operation of the server's OpenAPI document from several
 * concurrent clients (each a fast-check run with its own seed) and checks every answer. A
 * failing request is shrunk by fast-check and kept as a curl command; the client then goes on
 * with a new seed, so one run finds more than one bug.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const started = Date.now();
  const doc = (await (await fetch(`${options.base}/api/openapi.json`)).json()) as OpenApiDocument;
  const resolve = refResolver(doc);
  const operations = [...operationsOf(doc), ...(options.hidden ? hiddenOperations() : [])];
  const byKey = new Map(operations.map((op) => [op.key, op]));
  const arbitrary = fc.oneof(...operations.map((op) => requestsFor(op, resolve)));
  const pool = new Pool(options.base, {
    connections: options.clients,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const tally = new Tally();
  const failures: FuzzFailure[] = [];
  const seen = new Set<string>();
  let healthChecks = 0;
  const fixture = options.fixture;
  const context = {
    base: options.base,
    valuesFor: (op: Operation, param: string) => fixture.valuesFor(op, param),
    tokenOf: (identity: FuzzRequest["identity"]) => fixture.tokenOf(identity),
  };

  async function send(request: RenderedRequest): Promise<Answer> {
    let res: Awaited<ReturnType<typeof pool.request>>;
    try {
      res = await pool.request({
        path: request.path,
        method: request.method as "GET",
        headers: request.headers,
        body: request.body,
      });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      if (code === "UND_ERR_INVALID_ARG" || error instanceof TypeError) throw new NotSent();
      throw error;
    }
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  }

  async function check(request: FuzzRequest): Promise<void> {
    const op = byKey.get(request.op) as Operation;
    const rendered = render(op, request, context);
    let answer: Answer;
    const sentAt = performance.now();
    try {
      answer = await send(rendered);
    } catch (error) {
      if (error instanceof NotSent) {
        tally.unsendable++;
        return;
      }
      tally.count(op.key, "no answer", performance.now() - sentAt);
      throw new Error(`no answer (${(error as Error).message}): ${curlOf(options.base, rendered)}`);
    }
    tally.count(op.key, answer.status, performance.now() - sentAt);
    const problem = problemWith(op, answer);
    if (problem) throw new Error(`${op.key} -> ${problem}\n  ${curlOf(options.base, rendered)}`);
    if (
      answer.status === 401 &&
      request.identity !== "anonymous" &&
      request.identity !== "operator"
    ) {
      await fixture.renew(request.identity);
    }
    if (answer.status < 300 && answer.text.startsWith("{")) {
      try {
        fixture.harvest(JSON.parse(answer.text));
      } catch {
        // not JSON after all
      }
    }
  }

  async function healthy(): Promise<void> {
    healthChecks++;
    const res = await pool.request({ path: "/healthz", method: "GET" });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`/healthz answered ${res.statusCode}`);
  }

  const perClient = Math.ceil(options.requests / options.clients);
  const chunk = 100;
  let nextSeed = options.seed ?? Date.now() % 2 ** 31;
  let lastProgress = 0;

  async function client(): Promise<void> {
    let mine = 0;
    while (mine < perClient && failures.length < 30 && !options.signal?.aborted) {
      const seed = nextSeed++;
      const runs = Math.min(chunk, perClient - mine);
      const result = await fc.check(fc.asyncProperty(arbitrary, check), {
        numRuns: runs,
        seed,
      });
      mine += runs;
      if (result.failed) {
        const message = String(
          (result.errorInstance as Error | undefined)?.message ?? result.errorInstance,
        );
        const [headline = message, ...rest] = message.split("\n");
        const route = headline.split(" -> ")[0] ?? "?";
        const key = `${route} ${headline.split(" -> ")[1]?.slice(0, 3) ?? ""}`;
        if (!seen.has(key)) {
          seen.add(key);
          failures.push({ route, problem: headline, reproduce: rest.join("\n").trim(), seed });
        }
      }
      await healthy();
      if (options.progress && tally.sent - lastProgress >= 1_000) {
        lastProgress = tally.sent;
        options.progress(tally.sent, tally.serverErrors);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: options.clients }, () => client()));
    await healthy();
  } finally {
    await pool.close();
  }
  return {
    stoppedEarly: options.signal?.aborted ?? false,
    requests: tally.sent,
    seconds: (Date.now() - started) / 1000,
    operations: operations.length,
    perRoute: tally.perRoute,
    statuses: tally.statuses,
    perRouteStatuses: tally.perRouteStatuses,
    perRouteMeanMs: Object.fromEntries(
      Object.entries(tally.perRouteMs).map(([route, ms]) => [
        route,
        Math.round(ms / (tally.perRoute[route] ?? 1)),
      ]),
    ),
    serverErrors: tally.serverErrors,
    failures,
    unsendable: tally.unsendable,
    healthChecks,
  };
}
