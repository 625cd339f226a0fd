import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMediaPlaylist } from "../../src/loadtest/listener/media-playlist.ts";
import { type AmphiProcess, startAmphiProcess } from "../support/amphi-process.ts";
import { api, signUp } from "../support/amphi-test-server.ts";
import { seedEmbeddedDatabase } from "../support/embedded-template.ts";
import { type ListenerSwarm, startListenerSwarm } from "../support/listener-swarm.ts";
import { type NginxEdge, startNginxEdge } from "../support/nginx-edge.ts";
import { signedHlsPath } from "../support/signed-hls.ts";

/**
 * Caching edges in front of a real Amphi: a few thousand simulated LL-HLS listeners follow a
 * live Space through two real nginx edges (configured by `renderEdgeNginxConf`), and the
 * origin sees about one request per part per edge, not per listener. The origin runs in its
 * own process so that the listeners' load here cannot slow its 20 ms mixing clock.
 */
const EDGES = 2;
const LISTENERS_PER_EDGE = 1500;
const RAMP_PER_SECOND = 1000;
/** After the ramp, before measuring: late joiners' start-up requests are over. */
const SETTLE_MS = 2000;
const WINDOW_MS = 5000;
/**
 * Parts of 0.5 s (the default is 0.25 s): four requests a second per listener, the load this
 * test's 3,000 listeners were sized for on 2 shared cores; what is tested, one origin request
 * per part per edge rather than per listener, does not depend on the part's length.
 */
const PART_SECONDS = 0.5;
/** nginx lets one more waiter through each `proxy_cache_lock_age` (100 ms) an entry is held. */
const LOCK_AGE_SECONDS = 0.1;

let dataDir: string;
let origin: AmphiProcess;
let edges: NginxEdge[] = [];
let spaceId: string;
let swarms: ListenerSwarm[] = [];

/** `amphi_hls_requests_total` by kind, read from the origin itself (never through an edge). */
async function originHlsRequests(): Promise<Record<string, number>> {
  const text = await (await fetch(`${origin.url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^amphi_hls_requests_total\{kind="(\w+)"\} (\d+)/gm)) {
    counts[m[1]!] = Number(m[2]);
  }
  return counts;
}

/** How many parts the origin has published so far, from its own playlist. */
async function partsPublished(): Promise<number> {
  const text = await (await fetch(`${origin.url}${signedHlsPath(spaceId, "live.m3u8")}`)).text();
  const playlist = parseMediaPlaylist(text);
  const last = playlist.parts.at(-1);
  if (!last) return 0;
  const perSegment = Math.max(
    1,
    ...playlist.completeSegments.map((msn) => playlist.parts.filter((p) => p.msn === msn).length),
  );
  return last.msn * perSegment + last.index + 1;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "amphi-fanout-"));
  seedEmbeddedDatabase(dataDir);
  origin = await startAmphiProcess({
    dataDir,
    env: { SIGNUPS_PER_IP: "1000", HLS_PART_SECONDS: String(PART_SECONDS) },
  });
  const host = await signUp(origin.url);
  const created = await api(origin.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Edges", startNow: true },
  });
  spaceId = created.body.space.id;
  edges = await Promise.all(
    Array.from({ length: EDGES }, () => startNginxEdge({ originUrl: origin.url })),
  );
  // Listeners join a stream already PART-HOLD-BACK deep, as they would in production.
  const deadline = Date.now() + 15_000;
  while ((await partsPublished().catch(() => 0)) < 4 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 90_000);

afterAll(async () => {
  for (const swarm of swarms) swarm.kill();
  await Promise.all(edges.map((edge) => edge.stop()));
  await origin?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("caching edges", () => {
  it("feed thousands of LL-HLS listeners with a few origin requests per part per edge, not per listener", async () => {
    const total = EDGES * LISTENERS_PER_EDGE;
    const atStart = await originHlsRequests();
    // One listener process per edge: 3,000 listeners make ~12,000 requests a second, more
    // than one Node process (one core) serves next to two nginx and the origin.
    swarms = await Promise.all(edges.map(() => startListenerSwarm()));
    await Promise.all(
      swarms.map((swarm, i) =>
        swarm.add(
          "hls",
          `${edges[i]?.url}${signedHlsPath(spaceId)}`,
          LISTENERS_PER_EDGE,
          RAMP_PER_SECOND / EDGES,
        ),
      ),
    );
    // The steady state: everyone listening at the live edge, waiting on the same parts.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const before = await originHlsRequests();
    const publishedBefore = await partsPublished();
    await Promise.all(swarms.map((swarm) => swarm.windowStart()));
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const windows = await Promise.all(swarms.map((swarm) => swarm.windowEnd()));
    const after = await originHlsRequests();
    const published = (await partsPublished()) - publishedBefore;
    const stats = (await Promise.all(swarms.map((swarm) => swarm.stop()))).flat();
    swarms = [];

    const delta = (kind: string, from = before) => (after[kind] ?? 0) - (from[kind] ?? 0);
    const parts = stats.map((s) => s.parts);
    // Real time over the window: media received >= 90% of the window's wall time.
    const keepingUp = windows.flatMap((w) => w.rates).filter((rate) => rate >= 0.9).length;
    const errors = stats.reduce((sum, s) => sum + s.errors, 0);
    const kinds = Object.keys(after);
    console.log(
      `edge fan-out: ${total} listeners, parts per listener min ${Math.min(...parts)} max ${Math.max(...parts)}, keeping up in the window ${keepingUp}/${total}, errors ${errors}; ${published} parts published in the window, origin requests in it ${JSON.stringify(Object.fromEntries(kinds.map((k) => [k, delta(k)])))}, over the whole run (ramp included) ${JSON.stringify(Object.fromEntries(kinds.map((k) => [k, delta(k, atStart)])))}`,
    );

    expect(stats).toHaveLength(total);
    // Every listener received a run of parts, several seconds' worth.
    expect(Math.min(...parts)).toBeGreaterThanOrEqual(6);
    expect(published).toBeGreaterThanOrEqual(8);
    // While they listen, the origin sees one request per part per edge for the part, whatever
    // the number of listeners, and for the blocking reload that announces it, which the
    // origin holds for up to a part, one more each lock age (100 ms) it is held.
    const bound = EDGES * (published + 2);
    const perHeldReload = 1 + Math.ceil(PART_SECONDS / LOCK_AGE_SECONDS);
    expect(delta("part")).toBeGreaterThan(0);
    expect(delta("part")).toBeLessThanOrEqual(bound);
    expect(delta("blocking_playlist")).toBeLessThanOrEqual(perHeldReload * bound);
    expect(delta("playlist") + delta("multivariant") + delta("init")).toBeLessThanOrEqual(
      EDGES * 2,
    );
    // ...while the listeners themselves fetched thousands of parts meanwhile.
    const mediaSeconds =
      windows.flatMap((w) => w.rates).reduce((sum, r) => sum + r, 0) * (WINDOW_MS / 1000);
    expect(mediaSeconds / PART_SECONDS).toBeGreaterThan(100 * delta("part"));
  }, 60_000);

  it("keeps serving the Space document while the origin is down (stale-if-error)", async () => {
    const document = `/api/spaces/${spaceId}`;
    for (const edge of edges) {
      await fetch(edge.url + document).then((r) => r.arrayBuffer());
      const cached = await fetch(edge.url + document);
      await cached.arrayBuffer();
      expect(cached.headers.get("x-cache-status")).toBe("HIT");
    }
    const primedAt = Date.now();
    expect(await origin.stop()).toBe(0);
    // Past max-age=2 (nginx counts whole seconds, so up to 3 s): the edge must ask the
    // origin, which is gone.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, primedAt + 3500 - Date.now())));
    for (const edge of edges) {
      const res = await fetch(edge.url + document);
      const body = (await res.json()) as { space: { id: string } };
      expect(res.status).toBe(200);
      expect(body.space.id).toBe(spaceId);
      expect(res.headers.get("x-cache-status")).toMatch(/^(STALE|UPDATING)$/);
      // What is not cacheable fails while the origin is down: only the document is kept.
      const me = await fetch(`${edge.url}${document}/me`);
      await me.arrayBuffer();
      expect(me.status).toBe(502);
    }
  });
});
