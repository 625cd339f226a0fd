import { describe, expect, it } from "vitest";
import { signedHlsPrefixOf, withNewestPrefix } from "./hls-url-prefix.ts";

const sigA = "A".repeat(22);
const sigB = "B".repeat(22);

describe("signed HLS prefixes", () => {
  it("reads the prefix of a path or an absolute URL", () => {
    expect(
      signedHlsPrefixOf(`https://edge.example/hls/s1/1800/${sigA}/live.m3u8?_HLS_msn=3`),
    ).toEqual({ spaceId: "s1", expires: 1800, prefix: `/hls/s1/1800/${sigA}/` });
    expect(signedHlsPrefixOf("/hls/s1/live.m3u8")).toBeNull();
    expect(signedHlsPrefixOf("/recordings/s1/vod.m3u8")).toBeNull();
  });

  it("moves a request to the newest window of the same Space, never back, never elsewhere", () => {
    const old = `http://e/hls/s1/1800/${sigA}/part-3-1.m4s`;
    expect(withNewestPrefix(old, `/hls/s1/2100/${sigB}/index.m3u8`)).toBe(
      `http://e/hls/s1/2100/${sigB}/part-3-1.m4s`,
    );
    expect(withNewestPrefix(old, `/hls/s1/1500/${sigB}/index.m3u8`)).toBe(old);
    expect(withNewestPrefix(old, `/hls/s2/2100/${sigB}/index.m3u8`)).toBe(old);
    expect(withNewestPrefix(old, null)).toBe(old);
    expect(withNewestPrefix("/recordings/s1/vod.m3u8", `/hls/s1/2100/${sigB}/x`)).toBe(
      "/recordings/s1/vod.m3u8",
    );
  });
});
