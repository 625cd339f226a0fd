import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HlsStream } from "../../src/media/origin/hls-stream.ts";
import { startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import {
  decodeToPcm,
  encodeSineOgg,
  ffmpegAsync,
  parseOggOpus,
  probe,
} from "../support/ffprobe.ts";
import { signedHlsPath } from "../support/signed-hls.ts";

/**
 * The LL-HLS origin, black-box: a real Opus stream (a 440 Hz tone encoded by ffmpeg) is fed
 * into a Space's stream in real time, 20 ms a packet, and Debian's ffmpeg plays the live
 * playlist over HTTP like any player would.
 */
let server: TestServer;
let stream: HlsStream;
let feeder: NodeJS.Timeout;
let dir: string;
const spaceId = "hlsTestSpace1";
/** A file of the stream under the prefix a ticket would give now. */
const hls = (file: string, id = spaceId) => `${server.url}${signedHlsPath(id, file)}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "amphi-hls-"));
  server = await startTestServer();
  stream = server.origin.open(spaceId);
  const packets = parseOggOpus(encodeSineOgg(30)).packets;
  let i = 0;
  const started = performance.now();
  // A drift-free real-time feed: catch up on late timer ticks.
  feeder = setInterval(() => {
    const due = Math.floor((performance.now() - started) / 20);
    while (i <= due && i < packets.length) {
      stream.push({ data: packets[i]!, durationSamples: 960 }, Date.now());
      i++;
    }
  }, 10);
});

afterAll(async () => {
  clearInterval(feeder);
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function goertzel(samples: Float32Array, frequency: number, rate = 48_000): number {
  const k = 2 * Math.cos((2 * Math.PI * frequency) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / samples.length;
}

describe("LL-HLS origin", () => {
  it("plays in ffmpeg over HTTP: 10 s of continuous 440 Hz audio", async () => {
    // A player arrives once there is something to play: here, a first whole segment.
    await stream.waitFor(() => stream.snapshot().segments.length >= 1, 10_000);
    const out = join(dir, "live.mp4");
    const url = hls("index.m3u8");
    const run = await ffmpegAsync(["-v", "error", "-i", url, "-t", "10", "-c", "copy", "-y", out]);
    expect(run.code, run.stderr).toBe(0);
    const { streams, packets } = probe(out);
    expect(streams[0]).toMatchObject({ codec_name: "opus", sample_rate: "48000", channels: 1 });
    expect(packets.length).toBeGreaterThanOrEqual(495);
    const gaps = packets.slice(1).map((p, i) => p.pts - packets[i]!.pts);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(0.04 * 48_000);
    expect(Math.min(...gaps)).toBeGreaterThan(0);
    const pcm = decodeToPcm(out);
    expect(goertzel(pcm, 440)).toBeGreaterThan(100 * goertzel(pcm, 1000));
  }, 60_000);

  it("answers a blocking reload for the next part as soon as it exists", async () => {
    await stream.waitFor(() => stream.snapshot().segments.length > 0, 10_000);
    const next = stream.snapshot().nextPart!;
    const t0 = performance.now();
    const res = await fetch(`${hls("live.m3u8")}?_HLS_msn=${next.msn}&_HLS_part=${next.index}`);
    const waited = performance.now() - t0;
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain(`URI="${next.uri}"`);
    expect(text).toMatch(/#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=/);
    expect(text).toMatch(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-/);
    expect(text).toMatch(/#EXT-X-PROGRAM-DATE-TIME:/);
    // Answered when the part exists (one part later), long before the 6 s blocking timeout.
    expect(waited).toBeLessThan(4000);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    expect(res.headers.get("content-type")).toMatch(/application\/vnd\.apple\.mpegurl/);
  });

  it("holds a request for the preload-hinted part until it is published", async () => {
    const next = stream.snapshot().nextPart!;
    const res = await fetch(hls(next.uri));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe("moof");
  });

  it("serves plain playlists briefly cacheable and refuses bad directives or unknown streams", async () => {
    const plain = await fetch(hls("live.m3u8"));
    expect(plain.headers.get("cache-control")).toBe("public, max-age=1");
    const tooFar = await fetch(`${hls("live.m3u8")}?_HLS_msn=999999`);
    expect(tooFar.status).toBe(400);
    expect(((await tooFar.json()) as any).error.code).toBe("AMPHI_VALIDATION_FAILED");
    const partOnly = await fetch(`${hls("live.m3u8")}?_HLS_part=1`);
    expect(partOnly.status).toBe(400);
    const unknown = await fetch(hls("live.m3u8", "nosuchspace"));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe("AMPHI_STREAM_NOT_FOUND");
    const gone = await fetch(hls("part-0-0.m4s.bak"));
    expect(gone.status).toBe(404);
  });

  it("refuses unsigned, tampered and expired URLs (as the edges do)", async () => {
    const code = async (url: string) => {
      const res = await fetch(url);
      return [res.status, ((await res.json()) as any).error.code];
    };
    const invalid = [403, "AMPHI_MEDIA_URL_INVALID"];
    expect(await code(`${server.url}/hls/${spaceId}/index.m3u8`)).toEqual(invalid);
    expect(await code(`${server.url}/hls/${spaceId}/live.m3u8`)).toEqual(invalid);
    expect(await code(`${server.url}/hls/${spaceId}/init.mp4`)).toEqual(invalid);
    const good = signedHlsPath(spaceId, "init.mp4");
    // Another Space's signature, a changed expiry, a changed signature, another secret.
    const other = signedHlsPath("otherSpace", "init.mp4").replace("/otherSpace/", `/${spaceId}/`);
    expect(await code(server.url + other)).toEqual(invalid);
    const later = good.replace(/\/([0-9]+)\//, (_m, e) => `/${Number(e) + 300}/`);
    expect(await code(server.url + later)).toEqual(invalid);
    const flipped = good.replace(/\/([A-Za-z0-9_-]{22})\//, (_m, sig: string) => {
      return `/${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}/`;
    });
    expect(await code(server.url + flipped)).toEqual(invalid);
    const foreign = signedHlsPath(spaceId, "init.mp4", {
      secret: "another-secret-0123456789-abcdefghijklmnop",
    });
    expect(await code(server.url + foreign)).toEqual(invalid);
    const expired = signedHlsPath(spaceId, "init.mp4", { nowMs: Date.now() - 3 * 300_000 });
    expect(await code(server.url + expired)).toEqual([410, "AMPHI_MEDIA_URL_EXPIRED"]);
    expect((await fetch(server.url + good)).status).toBe(200);
  });
});
