import type { FastifyInstance, FastifyRequest } from "fastify";
import { Counter, Gauge, type Registry } from "prom-client";
import { AmphiError } from "../errors/error-registry.ts";
import type { LagSource } from "./event-loop-lag.ts";

/**
 * - critical: what a flash crowd needs to get in and keep listening (the join path, the
 *   LL-HLS playlists and media), plus /metrics so operators can see the incident;
 * - normal: everything else (pages, documents, stage actions, live sockets...);
 * - exempt: health probes. Never shed: a liveness probe refused because the process is busy
 *   gets it restarted exactly when it is busiest, and /readyz answers from its own checks.
 */
export type RequestPriority = "critical" | "normal" | "exempt";

export type ShedDecision = { shed: false } | { shed: true; retryAfter: number };

export interface LoadShedderOptions {
  /** Over this lag, normal requests are shed. Default 100 ms. */
  normalLagMs?: number;
  /** Over this lag, critical requests are shed too. Default 2000 ms; Infinity = never. */
  criticalLagMs?: number;
  /** Retry-After is drawn uniformly in [min, max] whole seconds. Default 1..5. */
  retryAfterSeconds?: { min: number; max: number };
  random?: () => number;
}

/**
 * Load shedding on event-loop lag: when the loop runs late, every request already waits that
 * long, and doing more work only makes it later. Shedding answers at once with 503
 * AMPHI_OVERLOADED and a jittered Retry-After (so the refused do not come back together).
 *
 * Thresholds: 100 ms for normal requests, a tenth of a second of queueing that already eats
 * half the 200 ms live-push budget. Critical requests are shed only at 2 s: below that, doing
 * the join or media work late is still better than a refusal the client must retry (and the
 * admission queue already meters the join path with cheap 202s); over 2 s the loop is
 * effectively stalled, players and clients have given up on those requests, and a fast 503
 * with a spread-out Retry-After is what lets the process catch up.
 */
export class LoadShedder {
  readonly normalLagMs: number;
  readonly criticalLagMs: number;
  private readonly retryAfter: { min: number; max: number };
  private readonly random: () => number;
  private readonly shedCount: Record<Exclude<RequestPriority, "exempt">, number> = {
    critical: 0,
    normal: 0,
  };
  private shedCounter: Counter<"priority"> | null = null;

  constructor(
    private readonly lag: LagSource,
    options: LoadShedderOptions = {},
  ) {
    this.normalLagMs = options.normalLagMs ?? 100;
    this.criticalLagMs = options.criticalLagMs ?? 2000;
    this.retryAfter = options.retryAfterSeconds ?? { min: 1, max: 5 };
    this.random = options.random ?? Math.random;
  }

  lagMs(): number {
    return this.lag.lagMs();
  }

  /** Decides for one request; counts it when shed. */
  decide(priority: RequestPriority): ShedDecision {
    if (priority === "exempt") return { shed: false };
    const threshold = priority === "critical" ? this.criticalLagMs : this.normalLagMs;
    if (!(this.lag.lagMs() > threshold)) return { shed: false };
    this.shedCount[priority] += 1;
    this.shedCounter?.inc({ priority });
    const { min, max } = this.retryAfter;
    return { shed: true, retryAfter: min + Math.floor(this.random() * (max - min + 1)) };
  }

  shed(): Readonly<Record<"critical" | "normal", number>> {
    return { ...this.shedCount };
  }

  /** Adds `amphi_load_shed_total{priority}` and `amphi_load_shedder_lag_seconds`. */
  registerMetrics(registry: Registry): void {
    this.shedCounter = new Counter({
      name: "amphi_load_shed_total",
      help: "Requests refused with 503 AMPHI_OVERLOADED by load shedding, by priority",
      labelNames: ["priority"],
      registers: [registry],
    });
    // Both series exist from the start (0), so rates and alerts work before the first shed.
    this.shedCounter.inc({ priority: "critical" }, 0);
    this.shedCounter.inc({ priority: "normal" }, 0);
    const shedder = this;
    new Gauge({
      name: "amphi_load_shedder_lag_seconds",
      help: "Event-loop lag as the load shedder sees it",
      registers: [registry],
      collect() {
        this.set(shedder.lagMs() / 1000);
      },
    });
  }
}

const joinPath = /^\/api\/spaces\/[^/]+\/(tickets|heartbeat)$/;
const challengePath = /^\/api\/spaces\/[^/]+\/challenge$/;

/**
 * Amphi's request priorities, from the method and the path (the query string is ignored), so
 * it works before routing details and for unmatched URLs alike.
 */
export function classifyAmphiRequest(method: string, url: string): RequestPriority {
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (path === "/healthz" || path === "/readyz") return "exempt";
  if (path === "/metrics") return "critical";
  if (path.startsWith("/hls/")) return "critical";
  if (method === "POST" && joinPath.test(path)) return "critical";
  if ((method === "GET" || method === "HEAD") && challengePath.test(path)) return "critical";
  return "normal";
}

/**
 * Sheds in `onRequest`, the first hook: before body parsing, auth or any route work. Add it
 * to the root instance before the routes are registered so it covers all of them. Refusals
 * are AmphiErrors, rendered by the app's error handler (503 + Retry-After). A callback hook,
 * not an async one: it runs on every request and never waits, so it need not cost a promise
 * and a trip through the microtask queue.
 */
export function installLoadShedding(
  app: FastifyInstance,
  shedder: LoadShedder,
  classify: (request: FastifyRequest) => RequestPriority = (request) =>
    classifyAmphiRequest(request.method, request.url),
): void {
  app.addHook("onRequest", (request, _reply, done) => {
    const decision = shedder.decide(classify(request));
    if (decision.shed) {
      done(new AmphiError("AMPHI_OVERLOADED", { retryAfter: decision.retryAfter }));
      return;
    }
    done();
  });
}
