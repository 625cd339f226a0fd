import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { AmphiError } from "../../errors/error-registry.ts";
import { sendError } from "../error-handler.ts";

/** Paths that are never client-side routes: a miss there is a JSON 404, not the app. */
const notAppPaths = [
  "/api/",
  "/assets/",
  "/healthz",
  "/readyz",
  "/metrics",
  "/hls/",
  "/whip/",
  "/whep/",
  "/recordings/",
];

/**
 * Serves the built web app. Hashed assets are immutable; any other GET that accepts HTML
 * gets index.html (client-side routes). API paths that match nothing get a JSON 404.
 */
export async function webRoutes(app: FastifyInstance, webDir: string): Promise<void> {
  const hasWeb = existsSync(join(webDir, "index.html"));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: true,
      index: ["index.html"],
      setHeaders: (res, path) => {
        res.header(
          "cache-control",
          path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const wantsHtml = (request.headers.accept ?? "").includes("text/html");
    if (request.method === "GET" && wantsHtml && !notAppPaths.some((p) => path.startsWith(p))) {
      if (hasWeb) return reply.header("cache-control", "no-cache").sendFile("index.html");
      return reply
        .type("text/html; charset=utf-8")
        .send(
          "<!doctype html><title>Amphi</title><p>The web app is not built. Run <code>npm start</code>.</p>",
        );
    }
    return sendError(reply, new AmphiError("AMPHI_NOT_FOUND"));
  });
}
