import { describe, expect, it } from "vitest";
import { oembedResponse, oembedTarget } from "./oembed.ts";
import { testSpace } from "./test-subjects.ts";

const origin = "https://spaces.example.org";

describe("oEmbed", () => {
  it("finds the Space or clip a URL of this site names", () => {
    expect(oembedTarget(`${origin}/spaces/abc_1`, origin)).toEqual({ kind: "space", id: "abc_1" });
    expect(oembedTarget(`${origin}/spaces/abc_1/?x=1#t`, origin)).toEqual({
      kind: "space",
      id: "abc_1",
    });
    expect(oembedTarget("http://SPACES.example.org/clips/c1", origin)).toEqual({
      kind: "clip",
      id: "c1",
    });
    expect(oembedTarget(`${origin}/embed/clips/c1`, origin)).toEqual({ kind: "clip", id: "c1" });
    expect(oembedTarget(`${origin}/embed/s1`, origin)).toEqual({ kind: "space", id: "s1" });
  });

  it("finds nothing on other sites, other pages, or in what is not a URL", () => {
    for (const url of [
      "https://evil.example/spaces/abc",
      "https://spaces.example.org.evil.example/spaces/abc",
      `${origin}/@ada`,
      `${origin}/spaces/abc/card.png`,
      `${origin}/spaces/a.b`,
      "javascript:alert(1)",
      "spaces/abc",
    ]) {
      expect(oembedTarget(url, origin), url).toBeNull();
    }
  });

  it("answers a rich iframe within maxwidth and maxheight", () => {
    const subject = {
      kind: "space" as const,
      space: testSpace({ title: `a"b` }),
      replaySeconds: null,
    };
    const full = oembedResponse(subject, origin, {});
    expect(full).toMatchObject({ type: "rich", version: "1.0", width: 560, height: 240 });
    expect(full.thumbnail_url).toBe(`${origin}/spaces/space1/card.png`);
    expect(full.html).toContain(`title="a&quot;b"`);
    const small = oembedResponse(subject, origin, { maxwidth: 300, maxheight: 100 });
    expect([small.width, small.height]).toEqual([300, 100]);
    expect(small.thumbnail_url).toBeUndefined();
  });
});
