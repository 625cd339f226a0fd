import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHlsPrefixOf } from "../../src/admission/hls-url-prefix.ts";
import { followHls } from "../../src/loadtest/listener/hls-follower.ts";
import { parseMediaPlaylist } from "../../src/loadtest/listener/media-playlist.ts";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import { type NginxEdge, startNginxEdge } from "../support/nginx-edge.ts";
import { signedHlsPath } from "../support/signed-hls.ts";

/**
 * requireLogin and removals protect the audio: LL-HLS URLs are signed per Space and time
 * window, handed out only with a ticket, and checked by a real nginx edge (the configuration
 * `amphi edge nginx-conf` renders) without asking the origin. Windows of 10 s here (300 s by
 * default) so that a listener crosses boundaries and outlives its first URL within the test.
 */
const WINDOW_SECONDS = 10;

let server: TestServer;
let edge: NginxEdge;
let host: { token: string; handle: string };
let spaceId: string;

/** Every LL-HLS request the origin has answered so far (`amphi_hls_requests_total`). */
async function originHlsRequests(kind?: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^amphi_hls_requests_total\{kind="(\w+)"\} (\d+)/gm)) {
    if (kind === undefined || m[1] === kind) total += Number(m[2]);
  }
  return total;
}

async function liveSpace(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Signed audio", startNow: true, ...extra },
  });
  expect(res.status).toBe(201);
  return res.body.space.id as string;
}

const ticket = (base: string, id: string, token?: string) =>
  api(base, "POST", `/api/spaces/${id}/tickets`, { body: {}, token });

beforeAll(async () => {
  server = await startTestServer({
    mediaPlane: "on",
    hlsUrlWindowSeconds: WINDOW_SECONDS,
    heartbeatSeconds: 5,
    hlsPartSeconds: 0.5,
  });
  edge = await startNginxEdge({ originUrl: server.url, logAccess: true });
  host = await signUp(server.url);
  spaceId = await liveSpace();
  // The room publishes parts of silence from the start; wait for a few.
  const playlist = `${server.url}${signedHlsPath(spaceId, "live.m3u8", { windowSeconds: WINDOW_SECONDS })}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(playlist).catch(() => null);
    const text = res?.ok ? await res.text() : "";
    if (text && parseMediaPlaylist(text).parts.length >= 4) break;
    if (Date.now() > deadline) throw new Error("the Space published no parts");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 60_000);

afterAll(async () => {
  await edge?.stop();
  await server?.close();
});

describe("signed LL-HLS URLs through an nginx edge", () => {
  it("refuses unsigned, tampered, foreign and expired URLs at the edge, without an origin request", async () => {
    const good = signedHlsPath(spaceId, "init.mp4", { windowSeconds: WINDOW_SECONDS });
    const sig = /\/([A-Za-z0-9_-]{22})\//;
    const refused: [string, number, string][] = [
      [`/hls/${spaceId}/index.m3u8`, 403, "unsigned playlist"],
      [`/hls/${spaceId}/live.m3u8?_HLS_msn=1&_HLS_part=0`, 403, "unsigned blocking reload"],
      [`/hls/${spaceId}/init.mp4`, 403, "unsigned init"],
      [`/hls/${spaceId}/part-1-0.m4s`, 403, "unsigned part"],
      [
        good.replace(sig, (_m, s: string) => `/${s[0] === "A" ? "B" : "A"}${s.slice(1)}/`),
        403,
        "tampered signature",
      ],
      [good.replace(/\/([0-9]+)\//, (_m, e) => `/${Number(e) + 3600}/`), 403, "extended expiry"],
      [
        signedHlsPath("anotherSpace", "init.mp4", { windowSeconds: WINDOW_SECONDS }).replace(
          "/anotherSpace/",
          `/${spaceId}/`,
        ),
        403,
        "another Space's signature",
      ],
      [
        signedHlsPath(spaceId, "init.mp4", {
          windowSeconds: WINDOW_SECONDS,
          secret: "someone-elses-secret-0123456789-abcdefghij",
        }),
        403,
        "another secret",
      ],
      [
        signedHlsPath(spaceId, "part-1-0.m4s", {
          windowSeconds: WINDOW_SECONDS,
          nowMs: Date.now() - 3 * WINDOW_SECONDS * 1000,
        }),
        410,
        "expired",
      ],
    ];
    const before = await originHlsRequests();
    for (const [path, status, what] of refused) {
      const res = await fetch(edge.url + path);
      expect(res.status, what).toBe(status);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code, what).toBe(
        status === 410 ? "AMPHI_MEDIA_URL_EXPIRED" : "AMPHI_MEDIA_URL_INVALID",
      );
    }
    // Not one of them reached the origin.
    expect(await originHlsRequests()).toBe(before);
    // The same init through the good URL does, once, and is then served from the edge.
    const first = await fetch(edge.url + good);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    expect(await originHlsRequests()).toBe(before + 1);
  });

  it("serves a valid URL and caches its parts once per edge, for every listener of every window", async () => {
    const grant = await ticket(edge.url, spaceId);
    expect(grant.status).toBe(200);
    const playlistUrl = grant.body.playlistUrl as string;
    expect(signedHlsPrefixOf(playlistUrl)?.spaceId).toBe(spaceId);
    const prefix = playlistUrl.replace(/index\.m3u8$/, "");
    const live = await fetch(`${edge.url}${prefix}live.m3u8`);
    expect(live.status).toBe(200);
    const listed = parseMediaPlaylist(await live.text()).parts;
    const part = listed.at(-1);
    if (!part) throw new Error("no part listed");
    // Listeners admitted in the next window hold another prefix: the edge's cache entry is
    // the Space's and the part's, so they share it too.
    const nextWindow = signedHlsPath(spaceId, "", {
      windowSeconds: WINDOW_SECONDS,
      nowMs: Date.now() + WINDOW_SECONDS * 1000,
    });
    expect(nextWindow).not.toBe(prefix);
    const before = await originHlsRequests("part");
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${edge.url}${i % 2 ? nextWindow : prefix}${part.uri}`).then(async (res) => ({
          status: res.status,
          cache: res.headers.get("x-cache-status"),
          bytes: Buffer.from(await res.arrayBuffer()),
        })),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.bytes.toString("base64"))).size).toBe(1);
    expect(await originHlsRequests("part")).toBe(before + 1);
    expect(answers.filter((a) => a.cache === "HIT").length).toBeGreaterThanOrEqual(59);
  });

  it("gives no URL to an anonymous visitor of a requireLogin Space, nor to a removed person", async () => {
    // The public document (cached by edges) names no playlist.
    const doc = await api(edge.url, "GET", `/api/spaces/${spaceId}`);
    expect(doc.body.space.state).toBe("live");
    expect(doc.body.space.playlistUrl).toBeNull();

    const members = await liveSpace({ requireLogin: true });
    const anonymous = await ticket(edge.url, members);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("AMPHI_UNAUTHENTICATED");
    expect(JSON.stringify(anonymous.body)).not.toContain("/hls/");
    const member = await signUp(server.url);
    const admitted = await ticket(edge.url, members, member.token);
    expect(admitted.status).toBe(200);
    expect(signedHlsPrefixOf(admitted.body.playlistUrl)?.spaceId).toBe(members);

    const troll = await signUp(server.url);
    const before = await ticket(edge.url, spaceId, troll.token);
    expect(before.status).toBe(200);
    const removed = await api(
      server.url,
      "POST",
      `/api/spaces/${spaceId}/participants/${troll.handle}/remove`,
      { token: host.token },
    );
    expect(removed.status).toBe(200);
    const again = await ticket(edge.url, spaceId, troll.token);
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe("AMPHI_REMOVED_FROM_SPACE");
    // The ticket they hold renews no URL: its next heartbeat is refused (the admission
    // directory hears of the removal through the change event, within moments).
    let beat = await api(edge.url, "POST", `/api/spaces/${spaceId}/heartbeat`, {
      body: { ticket: before.body.ticket },
    });
    const deadline = Date.now() + 3_000;
    while (beat.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      beat = await api(edge.url, "POST", `/api/spaces/${spaceId}/heartbeat`, {
        body: { ticket: before.body.ticket },
      });
    }
    expect(beat.status).toBe(403);
    expect(beat.body.error.code).toBe("AMPHI_REMOVED_FROM_SPACE");
  });

  it("replays a requireLogin Space only to people logged in, never to a removed one, and privately", async () => {
    const id = await liveSpace({ requireLogin: true, recording: true });
    const member = await signUp(server.url);
    const troll = await signUp(server.url);
    const removed = await api(
      server.url,
      "POST",
      `/api/spaces/${id}/participants/${troll.handle}/remove`,
      {
        token: host.token,
      },
    );
    expect(removed.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await api(server.url, "POST", `/api/spaces/${id}/end`, { token: host.token });
    await server.media.sync(id);
    const vod = (token?: string) =>
      fetch(`${edge.url}/recordings/${id}/vod.m3u8`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    let allowed = await vod(member.token);
    const deadline = Date.now() + 10_000;
    while (allowed.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      allowed = await vod(member.token);
    }
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("cache-control")).toMatch(/^private/);
    const part = /^(?!#)(\S+\.m4s)$/m.exec(await allowed.text())?.[1];
    expect(part).toBeDefined();
    const media = await fetch(`${edge.url}/recordings/${id}/${part}`, {
      headers: { authorization: `Bearer ${member.token}` },
    });
    expect(media.status).toBe(200);
    expect(media.headers.get("cache-control")).toMatch(/^private/);

    const anonymous = await vod();
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).error.code).toBe("AMPHI_UNAUTHENTICATED");
    expect((await fetch(`${edge.url}/recordings/${id}/${part}`)).status).toBe(401);
    const refused = await vod(troll.token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.code).toBe("AMPHI_REMOVED_FROM_SPACE");
  });

  it("keeps a listener playing across window boundaries and past its first URL's expiry", async () => {
    const grant = await ticket(edge.url, spaceId);
    expect(grant.status).toBe(200);
    const first = grant.body.playlistUrl as string;
    const firstExpiry = (signedHlsPrefixOf(first)?.expires ?? 0) * 1000;
    const newest = { url: first };
    let ticketNow = grant.body.ticket as string;
    const stop = new AbortController();
    // Heartbeats as the player sends them (every heartbeatSeconds): each hands out the
    // playlist of the current window.
    const beating = (async () => {
      while (!stop.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const beat = await api(edge.url, "POST", `/api/spaces/${spaceId}/heartbeat`, {
          body: { ticket: ticketNow },
        });
        if (beat.status !== 200) continue;
        ticketNow = beat.body.ticket;
        newest.url = beat.body.playlistUrl;
      }
    })();
    const arrivals: number[] = [];
    const logStart = edge.accessLog().length;
    const following = followHls({
      playlistUrl: edge.url + first,
      newestPlaylistUrl: () => newest.url,
      signal: stop.signal,
      onPart: (p) => arrivals.push(p.at),
    });
    // Past the first URL's expiry (one to two windows away), plus a few parts.
    const playFor = firstExpiry - Date.now() + 3_000;
    expect(playFor).toBeGreaterThan(WINDOW_SECONDS * 1000);
    await new Promise((resolve) => setTimeout(resolve, playFor));
    stop.abort();
    const stats = await following;
    await beating;

    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? at));
    const prefixes = new Set(
      edge
        .accessLog()
        .slice(logStart)
        .split("\n")
        .filter((line) => line.includes(`/hls/${spaceId}/`) && / 200 /.test(line))
        .map((line) => signedHlsPrefixOf(line)?.prefix)
        .filter((p) => p !== undefined),
    );
    console.log(
      `signed windows: ${stats.parts} parts over ${Math.round(playFor / 1000)} s, errors ${stats.errors}, stalls ${stats.stalls}, longest gap ${Math.max(...gaps)} ms, prefixes served ${prefixes.size}`,
    );
    // Not one request refused (an expired URL would be a 410), the parts kept coming, and the
    // listener moved through at least two windows' prefixes.
    expect(stats.errors).toBe(0);
    expect(stats.mediaSeconds).toBeGreaterThanOrEqual(0.8 * (playFor / 1000) - 2);
    expect(Math.max(...gaps)).toBeLessThan(3_000);
    expect(prefixes.size).toBeGreaterThanOrEqual(2);
    // The URL it started with is over now; the edge says so without the origin.
    const old = await fetch(`${edge.url}${first.replace(/index\.m3u8$/, "init.mp4")}`);
    expect(old.status).toBe(410);
  }, 60_000);
});
