import { describe, expect, it } from "vitest";
import { amphiPageOf, embedRoute } from "./embed-route";

describe("embed addresses", () => {
  it("name a Space or a clip", () => {
    expect(embedRoute("/embed/abc123")).toEqual({ kind: "space", spaceId: "abc123" });
    expect(embedRoute("/embed/abc123/")).toEqual({ kind: "space", spaceId: "abc123" });
    expect(embedRoute("/embed/clips/c_1-x")).toEqual({ kind: "clip", clipId: "c_1-x" });
  });

  it("name nothing when the id is not one the API accepts, or the path has more parts", () => {
    for (const path of [
      "/embed",
      "/embed/",
      "/embed/a%20b",
      "/embed/%E0%A4%A",
      `/embed/${"x".repeat(41)}`,
      "/embed/abc/def",
      "/embed/clips/a/b",
      "/spaces/abc",
    ]) {
      expect(embedRoute(path), path).toEqual({ kind: "unknown" });
    }
  });

  it("open the matching page of the app", () => {
    expect(amphiPageOf({ kind: "space", spaceId: "abc" })).toBe("/spaces/abc");
    expect(amphiPageOf({ kind: "clip", clipId: "c1" })).toBe("/clips/c1");
    expect(amphiPageOf({ kind: "unknown" })).toBe("/");
  });
});
