import type { FastifyInstance } from "fastify";
import type { Metrics } from "../metrics.ts";
import { checkMetricsAccess } from "../metrics-access.ts";

export interface HealthDeps {
  metrics: Metrics;
  /** Resolves when the database answers. */
  pingDatabase: () => Promise<void>;
  /** False once shutdown has begun, so load balancers stop sending traffic. */
  isAcceptingTraffic: () => boolean;
  /**
   * A fleet node stays in its balancer's rotation while the database is down: joining,
   * heartbeats, documents and media need none of it (writes answer 503 on their own).
   */
  readyWithoutDatabase?: boolean;
  /** METRICS_TOKEN: what a scraper must send (src/http/metrics-access.ts). */
  metricsToken?: string | undefined;
}

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get("/healthz", { schema: { hide: true } }, async (_request, reply) => {
    reply.header("cache-control", "no-store");
    return { status: "ok" };
  });

  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    if (!deps.isAcceptingTraffic()) {
      return reply.code(503).send({ status: "draining" });
    }
    try {
      await deps.pingDatabase();
      return { status: "ready", database: "ok" };
    } catch (error) {
      request.log.warn({ err: error }, "readiness: database unreachable");
      if (deps.readyWithoutDatabase) return { status: "degraded", database: "unreachable" };
      return reply.code(503).send({ status: "not ready", database: "unreachable" });
    }
  });

  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    if (deps.metricsToken) reply.header("www-authenticate", 'Bearer realm="metrics"');
    checkMetricsAccess(request, deps.metricsToken);
    reply.header("cache-control", "no-store").type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
