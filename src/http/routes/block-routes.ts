import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { HostBlocks } from "../../spaces/host-blocks.ts";
import type { BlockRecord } from "../../store/repositories/blocks-repository.ts";
import { blockListSchema, blockResponseSchema, handleParamsSchema } from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

function blockJson(block: BlockRecord) {
  const { account } = block;
  return {
    account: { id: account.id, handle: account.handle, displayName: account.displayName },
    blockedAt: block.blockedAt.toISOString(),
  };
}

/** A host's blocks: who may not listen, ask to speak or react in any of their Spaces. */
export async function blockRoutes(app: FastifyInstance, blocks: HostBlocks): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/accounts/me/blocks",
    {
      schema: {
        tags: ["accounts"],
        summary: "The people you blocked from your Spaces",
        response: { 200: blockListSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      return { blocks: (await blocks.list(me.id)).map(blockJson) };
    },
  );

  api.put(
    "/api/accounts/me/blocks/:handle",
    {
      schema: {
        tags: ["accounts"],
        summary:
          "Block someone from your Spaces: no ticket, request to speak or reaction there; removed from your live stages",
        params: handleParamsSchema,
        response: { 200: blockResponseSchema, ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const me = requireAccount(request);
      return { block: blockJson(await blocks.block(me.id, request.params.handle)) };
    },
  );

  api.delete(
    "/api/accounts/me/blocks/:handle",
    {
      schema: {
        tags: ["accounts"],
        summary: "Unblock someone",
        params: handleParamsSchema,
        response: { 204: z.null(), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      await blocks.unblock(me.id, request.params.handle);
      return reply.code(204).send(null);
    },
  );
}
