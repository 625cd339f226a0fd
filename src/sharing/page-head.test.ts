import { describe, expect, it } from "vitest";
import { escapeHtml, HeadTemplate, pageMeta, renderHeadTags } from "./page-head.ts";
import { testSpace } from "./test-subjects.ts";

const now = new Date("2026-12-03T06:00:00Z");

describe("page head", () => {
  it("escapes the five characters that matter in text and attributes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });

  it("says when a scheduled Space starts, who hosts it, and links its card and oEmbed", () => {
    const meta = pageMeta(
      { kind: "space", space: testSpace(), replaySeconds: null },
      "https://a.example",
      now,
    );
    expect(meta.description).toBe("Scheduled for Thu 3 Dec, 18:00 UTC. Hosted by Ada (@ada).");
    expect(meta.url).toBe("https://a.example/spaces/space1");
    expect(meta.image.url).toBe("https://a.example/spaces/space1/card.png");
    expect(meta.oembed).toBe(
      "https://a.example/oembed?url=https%3A%2F%2Fa.example%2Fspaces%2Fspace1&format=json",
    );
    expect(meta.audio).toBeNull();
  });

  it("counts listeners of a live Space and gives a replay its length and audio", () => {
    const live = testSpace({ state: "live", startedAt: "2026-12-03T05:30:00Z" });
    live.counts.listeners = 1234;
    expect(pageMeta({ kind: "space", space: live, replaySeconds: null }, "", now).description).toBe(
      "Live now, 1,234 listening, since Thu 3 Dec, 05:30 UTC. Hosted by Ada (@ada).",
    );
    const ended = testSpace({
      state: "ended",
      startedAt: "2026-12-02T18:00:00Z",
      description: "Part\none",
    });
    const replay = pageMeta({ kind: "space", space: ended, replaySeconds: 2520 }, "", now);
    expect(replay.description).toBe(
      "Replay, 42 min, recorded Wed 2 Dec, 18:00 UTC. Hosted by Ada (@ada). Part one",
    );
    expect(replay.audio).toEqual({ url: "/recordings/space1/download.m4a", type: "audio/mp4" });
  });

  it("renders every tag with its value escaped", () => {
    const meta = pageMeta(
      { kind: "space", space: testSpace({ title: `"><script>x</script>` }), replaySeconds: null },
      "https://a.example",
      now,
    );
    const tags = renderHeadTags(meta);
    expect(tags).not.toContain("<script>");
    expect(tags).toContain(`<title>&quot;&gt;&lt;script&gt;x&lt;/script&gt; · Amphi</title>`);
    expect(tags).toContain(
      `<meta property="og:title" content="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" />`,
    );
    expect(tags).toContain(`<meta name="twitter:card" content="summary_large_image" />`);
  });

  it("replaces the app's own title and description and puts the tags in the head", () => {
    const template = new HeadTemplate(
      `<!doctype html><html><head><meta charset="UTF-8" /><meta name="description" content="Generic" /><title>Amphi</title></head><body>x</body></html>`,
    );
    const meta = pageMeta({ kind: "space", space: testSpace(), replaySeconds: null }, "", now);
    const html = template.render(meta);
    expect(html).not.toContain("Generic");
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.indexOf("og:title")).toBeLessThan(html.indexOf("</head>"));
    expect(html).toMatch(/^<!doctype html><html><head><meta charset="UTF-8" \/>/);
    expect(html).toMatch(/<\/head><body>x<\/body><\/html>$/);
    // A page without </head> gets the tags right after its doctype.
    const bare = new HeadTemplate("<!doctype html><title>Amphi</title><div id=root></div>");
    expect(bare.render(meta)).toMatch(/^<!doctype html>\s*<title>Engines · Amphi<\/title>/);
    expect(bare.render(meta)).toMatch(/<div id=root><\/div>$/);
  });
});
