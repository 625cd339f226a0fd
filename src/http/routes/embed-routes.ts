import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { AmphiError } from "../../errors/error-registry.ts";
import type { ReachLimits } from "../../moderation/reach-limits.ts";
import type { RecordingsService } from "../../recordings/recordings-service.ts";
import type { SpacesService } from "../../spaces/spaces-service.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * Any site may frame this page (the embed players): the security headers
     * (http/security-headers.ts) give it `frame-ancestors *` and no X-Frame-Options.
     */
    embeddable?: boolean;
  }
}

/** The ids the API accepts (api-schemas.ts); anything else names nothing. */
const idPattern = /^[A-Za-z0-9_-]{1,40}$/;

/** How long the page waits to learn whether what it shows exists before sending itself anyway. */
const lookupBudgetMs = 1000;

export interface EmbedRouteDeps {
  webDir: string;
  spaces: SpacesService;
  recordings: RecordingsService;
  /** Spaces and clips a moderator limited have no embed player (src/moderation). */
  reach?: ReachLimits;
}

/**
 * Whether the thing exists: false only on a definite 404. A lookup that fails otherwise, or
 * takes too long (database down), counts as found: the page then asks the API itself.
 */
async function exists(lookup: () => Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), lookupBudgetMs);
  });
  const found = lookup().then(
    () => true,
    (error: unknown) => !(error instanceof AmphiError && error.status === 404),
  );
  try {
    return await Promise.race([found, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /embed/:spaceId` and `GET /embed/clips/:clipId`: the embedded players (web/embed.html,
 * the web build's second page), which any site may frame. They need no cookie and set none.
 * What they name is looked up (the Space from the in-memory snapshot) so an unknown one
 * answers 404, with the page, which then says "not available". Registered before the web
 * app's fallback, which would otherwise answer index.html.
 */
export async function embedRoutes(app: FastifyInstance, deps: EmbedRouteDeps): Promise<void> {
  const pageFile = join(deps.webDir, "embed.html");

  async function sendPage(reply: FastifyReply, found: boolean): Promise<FastifyReply> {
    reply
      .code(found ? 200 : 404)
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-cache");
    let html: string;
    try {
      html = await readFile(pageFile, "utf8");
    } catch {
      html =
        "<!doctype html><title>Amphi</title><p>The web app is not built. Run <code>npm start</code>.</p>";
    }
    return reply.send(html);
  }

  const config = { embeddable: true, anonymousIfAuthFails: true };
  const schema = { hide: true };

  app.get<{ Params: { spaceId: string } }>(
    "/embed/:spaceId",
    { config, schema },
    async (request, reply) => {
      const { spaceId } = request.params;
      const found =
        idPattern.test(spaceId) &&
        (await exists(async () => {
          const space = await deps.spaces.document(spaceId);
          if (deps.reach?.spaceLimited(space.id, space.host.id)) {
            throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
          }
        }));
      return sendPage(reply, found);
    },
  );

  app.get<{ Params: { clipId: string } }>(
    "/embed/clips/:clipId",
    { config, schema },
    async (request, reply) => {
      const { clipId } = request.params;
      const found =
        idPattern.test(clipId) &&
        (await exists(async () => {
          const { clip } = await deps.recordings.clip(clipId);
          if (deps.reach?.clipLimited(clip)) throw new AmphiError("AMPHI_CLIP_NOT_FOUND");
        }));
      return sendPage(reply, found);
    },
  );

  // Any other address under /embed names nothing: the page says so (not the app's 404 page).
  for (const path of ["/embed", "/embed/*"]) {
    app.get(path, { config, schema }, async (_request, reply) => sendPage(reply, false));
  }
}
