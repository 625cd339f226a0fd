import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

/**
 * The Content-Security-Policy of every page Amphi serves: scripts from this origin only (no
 * inline script, no eval); what the built app really uses besides: hls.js and ALTCHA start
 * workers from blob: URLs, Media Source Extensions play blob: media, hls.js gives its metadata
 * text track an empty `data:,WEBVTT` source (media-src data:), the ALTCHA widget and
 * React's style props need inline styles, icons and cards are data:/blob: images. The service
 * worker (/sw.js), fetches, the live WebSockets and WHIP/WHEP are same-origin ('self').
 */
export function contentSecurityPolicy(options: {
  frameAncestors: string[];
  upgradeInsecureRequests: boolean;
}): Record<string, string[]> {
  return {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:", "data:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": options.frameAncestors,
    ...(options.upgradeInsecureRequests ? { "upgrade-insecure-requests": [] } : {}),
  };
}

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security max-age in seconds; 0: none (never over plain http). */
  hstsMaxAgeSeconds: number;
  /** The site is served over https (PUBLIC_URL): ask browsers to upgrade what is not. */
  https: boolean;
}

/**
 * Security headers on every answer, as helmet writes them: the CSP above, no framing
 * (`frame-ancestors 'none'`, `X-Frame-Options: DENY`) except on routes marked
 * `config.embeddable` (the embed players, framable by any site: `frame-ancestors *`, no
 * X-Frame-Options), `X-Content-Type-Options: nosniff`, `Referrer-Policy:
 * strict-origin-when-cross-origin` (cross-origin POSTs still carry the Origin the CSRF check
 * reads), HSTS only over https or when configured (this host only: other hosts of the domain
 * may not serve https). No Cross-Origin-Resource-Policy: other sites show our
 * cards and players. Registered before any route, so every route gets them, 404s included.
 *
 * The headers do not depend on the request, so helmet runs once per policy at start and each
 * answer gets the recorded set. @fastify/helmet built helmet's whole middleware chain again
 * for every request (parsing the CSP each time): a tenth of a listener ticket's CPU
 * (docs/decisions.md, "Security headers: one strict CSP, embed pages framable").
 */
export async function installSecurityHeaders(
  app: FastifyInstance,
  options: SecurityHeaderOptions,
): Promise<void> {
  const upgradeInsecureRequests = options.https;
  const everywhere: HelmetOptions = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: contentSecurityPolicy({ frameAncestors: ["'none'"], upgradeInsecureRequests }),
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity:
      options.hstsMaxAgeSeconds > 0
        ? { maxAge: options.hstsMaxAgeSeconds, includeSubDomains: false }
        : false,
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
  };
  const framable: HelmetOptions = {
    ...everywhere,
    frameguard: false,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: contentSecurityPolicy({ frameAncestors: ["*"], upgradeInsecureRequests }),
    },
  };
  const standard = helmetHeaders(everywhere);
  const embeddable = helmetHeaders(framable);
  app.addHook("onRequest", (request, reply, done) => {
    reply.headers(request.routeOptions.config?.embeddable ? embeddable : standard);
    done();
  });
}

/** The headers helmet sets with these options, recorded from one run of its middleware. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete headers[name];
    },
  };
  let failure: unknown;
  helmet(options)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      failure = error;
    },
  );
  if (failure) throw failure;
  return headers;
}
