import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// xml-js (a dev dependency): its parser (sax, strict) throws on malformed XML.
import { xml2js } from "xml-js";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";

/**
 * Sharing a link: what a link unfurler (Slack, curl), an oEmbed consumer and a podcast app
 * get from a real server, for a live Space, a recorded one, a clip of it and its host.
 */

const hostileTitle = `"Quotes" & <script>alert('x')</script> </title><b>`;
const unfurler = { "user-agent": "Slackbot-LinkExpanding 1.0", accept: "*/*" };

let server: TestServer;
let webDir: string;
let host: TestAccount;
let liveId: string;
let recordedId: string;
let clipId: string;

/** The content of `<meta property|name="key" content="...">` in `html`, unescaped. */
function meta(html: string, key: string): string | null {
  const tag = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(html);
  return tag?.[1] ? htmlText(tag[1]) : null;
}

function htmlText(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

async function page(path: string): Promise<{ status: number; html: string; type: string }> {
  const res = await fetch(server.url + path, { headers: unfurler });
  return {
    status: res.status,
    html: await res.text(),
    type: res.headers.get("content-type") ?? "",
  };
}

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), "amphi-web-"));
  writeFileSync(
    join(webDir, "index.html"),
    `<!doctype html><html><head><meta charset="UTF-8" /><meta name="description" content="Generic" /><title>Amphi</title></head><body><div id="root"></div><script type="module" src="/assets/app.js"></script></body></html>`,
  );
  server = await startTestServer({ webDir, mediaPlane: "on" });
  host = await signUp(server.url);
  await api(server.url, "PATCH", "/api/accounts/me", {
    token: host.token,
    body: { bio: "Talks about <engines> & poetry" },
  });
  // A recorded Space that ran for a few seconds (the mix runs whether anyone speaks or not).
  const recorded = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: {
      title: "Engines & poetry",
      description: "Episode one",
      startNow: true,
      recording: true,
    },
  });
  recordedId = recorded.body.space.id;
  await server.media.sync(recordedId);
  await new Promise((r) => setTimeout(r, 3000));
  await api(server.url, "POST", `/api/spaces/${recordedId}/end`, { token: host.token });
  await server.media.sync(recordedId);
  const clip = await api(server.url, "POST", `/api/spaces/${recordedId}/clips`, {
    token: host.token,
    body: { startSeconds: 0.5, endSeconds: 2 },
  });
  expect(clip.status).toBe(201);
  clipId = clip.body.clip.id;
  const live = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: hostileTitle, startNow: true, recording: false },
  });
  liveId = live.body.space.id;
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe("the head of shared pages", () => {
  it("gives a link unfurler a live Space's title, status, host, card and oEmbed link", async () => {
    const { status, html, type } = await page(`/spaces/${liveId}`);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    expect(meta(html, "og:title")).toBe(hostileTitle);
    expect(meta(html, "og:type")).toBe("website");
    expect(meta(html, "og:site_name")).toBe("Amphi");
    expect(meta(html, "og:url")).toBe(`${server.url}/spaces/${liveId}`);
    expect(meta(html, "og:description")).toMatch(/^Live now, 0 listening, since .* UTC\./);
    expect(meta(html, "og:description")).toContain(`(@${host.handle})`);
    expect(meta(html, "og:image")).toBe(`${server.url}/spaces/${liveId}/card.png`);
    expect(meta(html, "og:image:width")).toBe("1200");
    expect(meta(html, "og:image:height")).toBe("630");
    expect(meta(html, "twitter:card")).toBe("summary_large_image");
    expect(meta(html, "twitter:title")).toBe(hostileTitle);
    expect(meta(html, "description")).toBe(meta(html, "og:description"));
    expect(html).toContain(`<link rel="canonical" href="${server.url}/spaces/${liveId}" />`);
    const oembed = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(
      html,
    );
    expect(htmlText(oembed?.[1] ?? "")).toBe(
      `${server.url}/oembed?url=${encodeURIComponent(`${server.url}/spaces/${liveId}`)}&format=json`,
    );
    // Still the web app, with one title and one description (the page's, not the generic one).
    expect(html).toContain('<div id="root"></div>');
    expect(html).toContain('src="/assets/app.js"');
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/name="description"/g)).toHaveLength(1);
    expect(html).not.toContain("Generic");
  });

  it("escapes a hostile title everywhere: no tag of it reaches the page", async () => {
    const { html } = await page(`/spaces/${liveId}`);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("</title><b>");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    const head = html.slice(0, html.indexOf("</head>"));
    // Every tag in the head is one of ours: the title's text never opened one.
    const tags = head.match(/<[a-z!/][^>]*>/gi) ?? [];
    for (const tag of tags) expect(tag).toMatch(/^<(!doctype|html|head|meta|link|title|\/title)/i);
  });

  it("describes a recorded Space as a replay with its length and audio", async () => {
    const { html } = await page(`/spaces/${recordedId}`);
    expect(meta(html, "og:title")).toBe("Engines & poetry");
    expect(meta(html, "og:description")).toMatch(/^Replay, \d+ min, recorded .*Episode one$/);
    expect(meta(html, "og:audio")).toBe(`${server.url}/recordings/${recordedId}/download.m4a`);
  });

  it("gives a clip's page its own title, card and oEmbed link", async () => {
    const { status, html } = await page(`/clips/${clipId}`);
    expect(status).toBe(200);
    expect(meta(html, "og:title")).toBe("Clip: Engines & poetry");
    expect(meta(html, "og:description")).toMatch(/^A 2 s clip \(0:00–0:02\)/);
    expect(meta(html, "og:image")).toBe(`${server.url}/clips/${clipId}/card.png`);
    expect(meta(html, "og:audio")).toBe(`${server.url}/clips/${clipId}/download.m4a`);
    expect(html).toContain("application/json+oembed");
  });

  it("gives a profile (/@handle and /u/handle) its name, bio, card and feed link", async () => {
    for (const path of [`/@${host.handle}`, `/u/${host.handle}`]) {
      const { status, html } = await page(path);
      expect(status, path).toBe(200);
      expect(meta(html, "og:type")).toBe("profile");
      expect(meta(html, "og:title")).toBe(`Person ${host.handle} (@${host.handle})`);
      expect(meta(html, "og:description")).toMatch(/^Talks about <engines> & poetry · 0 followers/);
      expect(html).toContain(`<link rel="canonical" href="${server.url}/@${host.handle}" />`);
      expect(html).toContain(
        `<link rel="alternate" type="application/rss+xml" href="${server.url}/@${host.handle}/feed.xml"`,
      );
    }
  });

  it("serves the app with its generic head and a 404 for what does not exist", async () => {
    for (const path of ["/spaces/nothing_here", "/clips/nothing_here", "/@nobody_here"]) {
      const { status, html, type } = await page(path);
      expect(status, path).toBe(404);
      expect(type).toMatch(/^text\/html/);
      expect(html).toContain("<title>Amphi</title>");
      expect(html).toContain('<div id="root"></div>');
    }
  });

  it("builds absolute URLs from the address the request came to", async () => {
    // fetch() will not send another Host: node:http does.
    const html = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${server.url}/spaces/${liveId}`,
        { headers: { ...unfurler, host: "spaces.example.org" } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
          });
          res.on("end", () => resolve(body));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(meta(html, "og:url")).toBe(`http://spaces.example.org/spaces/${liveId}`);
  });
});

describe("the card", () => {
  it("is a 1200x630 PNG for a Space, a clip and a profile, cacheable for a minute", async () => {
    for (const path of [
      `/spaces/${liveId}/card.png`,
      `/spaces/${recordedId}/card.png`,
      `/clips/${clipId}/card.png`,
      `/@${host.handle}/card.png`,
    ]) {
      const res = await fetch(server.url + path, { headers: unfurler });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("cache-control")).toBe("public, max-age=60");
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
      expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
      expect(png.readUInt32BE(16)).toBe(1200);
      expect(png.readUInt32BE(20)).toBe(630);
    }
  });

  it("answers 404 in the error contract for a card of nothing", async () => {
    const res = await fetch(`${server.url}/spaces/nothing_here/card.png`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("AMPHI_NOT_FOUND");
  });
});

describe("oEmbed", () => {
  const oembed = (query: string) => api(server.url, "GET", `/oembed?${query}`);
  const url = (path: string) => encodeURIComponent(server.url + path);

  it("answers a rich iframe of the embed page for a Space and a clip", async () => {
    const space = await oembed(`url=${url(`/spaces/${liveId}`)}&format=json`);
    expect(space.status).toBe(200);
    expect(space.headers.get("content-type")).toMatch(/^application\/json/);
    expect(space.body).toMatchObject({
      type: "rich",
      version: "1.0",
      title: hostileTitle,
      author_name: `Person ${host.handle}`,
      author_url: `${server.url}/@${host.handle}`,
      provider_name: "Amphi",
      provider_url: `${server.url}/`,
      thumbnail_url: `${server.url}/spaces/${liveId}/card.png`,
      thumbnail_width: 1200,
      thumbnail_height: 630,
      width: 560,
      height: 240,
    });
    expect(space.body.html).toMatch(
      new RegExp(`^<iframe src="${server.url}/embed/${liveId}" width="560" height="240" `),
    );
    expect(space.body.html).not.toContain("<script");

    const clip = await oembed(`url=${url(`/clips/${clipId}`)}`);
    expect(clip.status).toBe(200);
    expect(clip.body.html).toContain(`src="${server.url}/embed/clips/${clipId}"`);
    expect(clip.body.title).toBe("Clip: Engines & poetry");
  });

  it("keeps within maxwidth and maxheight (and leaves out a thumbnail that would not fit)", async () => {
    const small = await oembed(`url=${url(`/spaces/${liveId}`)}&maxwidth=320&maxheight=200`);
    expect(small.status).toBe(200);
    expect(small.body.width).toBe(320);
    expect(small.body.height).toBe(200);
    expect(small.body.html).toContain('width="320" height="200"');
    expect(small.body.thumbnail_url).toBeUndefined();
  });

  it("answers 404 for another site, unknown Spaces and pages that are not embeddable", async () => {
    for (const target of [
      encodeURIComponent(`https://elsewhere.example/spaces/${liveId}`),
      url("/spaces/nothing_here"),
      url(`/@${host.handle}`),
      url("/"),
      "not%20a%20url",
    ]) {
      const res = await oembed(`url=${target}`);
      expect(res.status, target).toBe(404);
      expect(res.body.error.code).toBe("AMPHI_OEMBED_NOT_FOUND");
    }
  });

  it("answers 501 for XML and 400 without a url", async () => {
    const xml = await oembed(`url=${url(`/spaces/${liveId}`)}&format=xml`);
    expect(xml.status).toBe(501);
    expect(xml.body.error.code).toBe("AMPHI_OEMBED_JSON_ONLY");
    const none = await oembed("format=json");
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe("AMPHI_VALIDATION_FAILED");
    const bad = await oembed(`url=${url(`/spaces/${liveId}`)}&maxwidth=wide`);
    expect(bad.status).toBe(400);
  });
});

describe("the host's feed", () => {
  it("is RSS 2.0 with the recorded Space as an episode a podcast app can download", async () => {
    const res = await fetch(`${server.url}/@${host.handle}/feed.xml`, { headers: unfurler });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/rss\+xml/);
    const text = await res.text();
    const doc = xml2js(text, { compact: true }) as any;
    const channel = doc.rss.channel;
    expect(doc.rss._attributes.version).toBe("2.0");
    expect(channel.title._text).toBe(`Person ${host.handle} (@${host.handle}) on Amphi`);
    expect(channel.link._text).toBe(`${server.url}/@${host.handle}`);
    expect(channel.description._text).toBe("Talks about <engines> & poetry");
    expect(channel.image.url._text).toBe(`${server.url}/@${host.handle}/card.png`);
    // Only recorded, ended Spaces: the live one is not an episode.
    const items = [channel.item].flat();
    expect(items).toHaveLength(1);
    const item = items[0];
    expect(item.title._text).toBe("Engines & poetry");
    expect(item.link._text).toBe(`${server.url}/spaces/${recordedId}`);
    expect(item.guid._text).toBe(`${server.url}/spaces/${recordedId}`);
    expect(new Date(item.pubDate._text).getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect(item.description._text).toBe("Episode one");
    expect(Number(item["itunes:duration"]._text)).toBeGreaterThanOrEqual(2);
    const enclosure = item.enclosure._attributes;
    expect(enclosure.url).toBe(`${server.url}/recordings/${recordedId}/download.m4a`);
    expect(enclosure.type).toBe("audio/mp4");
    // The length is the download's, byte for byte.
    const download = await fetch(enclosure.url);
    expect(download.status).toBe(200);
    expect(Number(enclosure.length)).toBe((await download.arrayBuffer()).byteLength);
  });

  it("answers 404 for a handle nobody has", async () => {
    const res = await fetch(`${server.url}/@nobody_here/feed.xml`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("AMPHI_ACCOUNT_NOT_FOUND");
  });
});
