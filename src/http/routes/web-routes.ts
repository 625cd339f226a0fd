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

/** A last path segment with an extension names a file (favicon.ico, robots.txt), not a page. */
const fileLike = /\.[A-Za-z0-9]+$/;

/**
 * Whether a GET that matched no route is a client-side route of the web app. The Accept header
 * plays no part: curl and link unfurlers send `*\/*` or nothing and must get the page too.
 */
export function isAppPath(method: string, path: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  if (notAppPaths.some((p) => path.startsWith(p))) return false;
  const lastSegment = path.slice(path.lastIndexOf("/") + 1);
  return !fileLike.test(lastSegment);
}

/**
 * Serves the built web app. Hashed assets are immutable; any other GET that is not the API, a
 * media path or a file gets index.html (client-side routes), whatever it accepts. API paths and
 * files that match nothing get a JSON 404.
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
    if (isAppPath(request.method, path)) {
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
