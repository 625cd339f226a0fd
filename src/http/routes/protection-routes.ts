import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AmphiError } from "../../errors/error-registry.ts";
import type { AttackGuard } from "../../protection/attack-guard.ts";
import type { FleetSignals } from "../../shared-state/ports.ts";
import { spaceParamsSchema } from "../api-schemas.ts";
import { errors } from "../route-helpers.ts";

const attackStatusSchema = z
  .object({
    mode: z.enum(["auto", "on", "off"]),
    active: z.boolean(),
    reason: z.string(),
    arrivalsPerSecond: z.number(),
    refusalsPerSecond: z.number(),
    refusalRatio: z.number(),
  })
  .meta({ id: "AttackStatus" });

function requireOperator(request: FastifyRequest, opsToken: string | undefined): void {
  // Without OPS_TOKEN the operator endpoints do not exist.
  if (!opsToken) throw new AmphiError("AMPHI_NOT_FOUND");
  const header = request.headers.authorization ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7).trim() : "");
  const expected = Buffer.from(opsToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AmphiError("AMPHI_FORBIDDEN", { message: "This needs the operator token." });
  }
}

/** The proof-of-work challenge listeners solve in attack mode, and the operator's switch. */
export async function protectionRoutes(
  app: FastifyInstance,
  deps: { guard: AttackGuard; opsToken: string | undefined; signals?: FleetSignals | undefined },
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/spaces/:id/challenge",
    {
      schema: {
        tags: ["listening"],
        summary: "An ALTCHA proof-of-work challenge (needed for a ticket in attack mode)",
        params: spaceParamsSchema,
        // Every field is covered by the challenge's signature: pass them all through.
        response: { 200: z.looseObject({}), ...errors(400, 429, 503) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const challenge = await deps.guard.challenge(request.params.id, request.ip);
      return challenge as unknown as Record<string, unknown>;
    },
  );

  api.get(
    "/api/admin/attack-mode",
    {
      schema: {
        tags: ["operations"],
        summary: "Attack mode now (operator token)",
        response: { 200: attackStatusSchema, ...errors(403, 404) },
      },
    },
    async (request, reply) => {
      requireOperator(request, deps.opsToken);
      reply.header("cache-control", "no-store");
      return deps.guard.status();
    },
  );

  api.put(
    "/api/admin/attack-mode",
    {
      schema: {
        tags: ["operations"],
        summary: "Force attack mode on or off, or back to automatic (operator token)",
        body: z.object({ mode: z.enum(["auto", "on", "off"]) }),
        response: { 200: attackStatusSchema, ...errors(400, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      requireOperator(request, deps.opsToken);
      // Every node of the fleet follows the switch (within a second); this one at once.
      if (deps.signals) await deps.signals.setOperatorMode(request.body.mode);
      deps.guard.mode = request.body.mode;
      request.log.warn({ mode: request.body.mode }, "operator set attack mode");
      return deps.guard.status();
    },
  );
}
