import { expect, test } from "vitest";
import { resolveAgainst } from "./resolve-url.ts";

test("server addresses resolve against the target, keeping an edge's path prefix", () => {
  const origin = new URL("http://127.0.0.1:8080");
  expect(resolveAgainst(origin, "/hls/s1/index.m3u8").href).toBe(
    "http://127.0.0.1:8080/hls/s1/index.m3u8",
  );
  expect(resolveAgainst(origin, "api/spaces/s1").href).toBe("http://127.0.0.1:8080/api/spaces/s1");
  const edge = new URL("https://edge.example/amphi");
  expect(resolveAgainst(edge, "/hls/s1/index.m3u8").href).toBe(
    "https://edge.example/amphi/hls/s1/index.m3u8",
  );
  expect(resolveAgainst(edge, "https://cdn.example/hls/x.m3u8").href).toBe(
    "https://cdn.example/hls/x.m3u8",
  );
  expect(resolveAgainst(edge, "//cdn.example/hls/x.m3u8").href).toBe(
    "https://cdn.example/hls/x.m3u8",
  );
});
