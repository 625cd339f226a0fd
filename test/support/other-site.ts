import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Another site on the loopback: what a blog that embeds an Amphi player looks like. */
export interface OtherSite {
  /** e.g. http://127.0.0.2:41234 */
  url: string;
  /** A page of this site framing `src` (an absolute URL), `height` px tall. */
  pageFraming(src: string, options?: { height?: number; title?: string }): string;
  close(): Promise<void>;
}

const escapeAttr = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * Serves `/post?src=...&height=...`: a small article with an iframe of `src`. It listens on
 * 127.0.0.2, so its pages are another origin and another site than Amphi on 127.0.0.1 (the
 * iframe is third-party to them: a browser sends it no first-party cookie).
 */
export async function startOtherSite(host = "127.0.0.2"): Promise<OtherSite> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://site");
    const src = url.searchParams.get("src");
    if (url.pathname === "/favicon.ico") {
      response.writeHead(204).end();
      return;
    }
    if (url.pathname !== "/post" || !src) {
      response.writeHead(404).end();
      return;
    }
    const height = Number(url.searchParams.get("height") ?? "220");
    const title = url.searchParams.get("title") ?? "A post with an embedded Space";
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeAttr(title)}</title>
<style>body{font-family:Georgia,serif;margin:24px;background:#fbfaf7;color:#222}
iframe{display:block;width:100%;border:0;margin:16px 0}</style></head>
<body><h1>${escapeAttr(title)}</h1><p>Some text around the player, as on any blog.</p>
<iframe id="embed" src="${escapeAttr(src)}" height="${height}" title="Amphi player"
  allow="autoplay" loading="eager"></iframe>
<p>More text after it.</p></body></html>`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    pageFraming: (src, options = {}) => {
      const params = new URLSearchParams({ src, height: String(options.height ?? 220) });
      if (options.title) params.set("title", options.title);
      return `${url}/post?${params.toString()}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
