import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginxEdge } from "../support/nginx-edge.ts";
import { signedHlsPath } from "../support/signed-hls.ts";

/**
 * What a listener waiting on an edge pays for sharing an origin request. nginx's
 * proxy_cache_lock makes requests for an entry being filled wait, and a waiter looks again
 * only every 500 ms, or when the lock's age (`proxy_cache_lock_age`) is up, whichever comes
 * first; then one waiter goes to the origin itself. A blocking playlist reload is held by the
 * origin until the next part is out (~a part), so with a long lock age every listener but
 * one got each part up to 500 ms late. The origin here holds every request until a fixed
 * moment, as Amphi's does until the part it waits for is published.
 */
const HOLD_UNTIL_MS = 700; // after the first request: past the first 500 ms look
const WAITERS = 12;

let origin: Server;
let originUrl: string;
let originRequests = 0;
let releaseAt = 0;

beforeAll(async () => {
  origin = createServer((req, res) => {
    originRequests++;
    if (releaseAt === 0) releaseAt = Date.now() + HOLD_UNTIL_MS;
    setTimeout(
      () => {
        res.writeHead(200, {
          "content-type": "application/vnd.apple.mpegurl",
          "cache-control": "public, max-age=60",
        });
        res.end(`#EXTM3U\n# ${req.url}\n`);
      },
      Math.max(0, releaseAt - Date.now()),
    );
  });
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => origin.close(resolve));
});

/** Listeners ask one blocking reload at once; how late each got it after the origin answered. */
async function lateness(lockAgeMs?: number): Promise<{ late: number[]; originRequests: number }> {
  const edge = await startNginxEdge({
    originUrl,
    workerProcesses: 2,
    ...(lockAgeMs === undefined ? {} : { lockAgeMs }),
  });
  try {
    originRequests = 0;
    releaseAt = 0;
    const url = `${edge.url}${signedHlsPath("space", "live.m3u8")}?_HLS_msn=7&_HLS_part=${lockAgeMs ?? 0}`;
    const first = fetch(url).then(async (r) => [r.status, await r.text(), Date.now()] as const);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const rest = Array.from({ length: WAITERS }, () =>
      fetch(url).then(async (r) => [r.status, await r.text(), Date.now()] as const),
    );
    const answers = await Promise.all([first, ...rest]);
    for (const [status] of answers) expect(status).toBe(200);
    return {
      late: answers.map(([, , at]) => at - releaseAt),
      originRequests,
    };
  } finally {
    await edge.stop();
  }
}

describe("an edge's listeners waiting on a held origin request", () => {
  it("get the answer within ~0.1 s of the origin, at the cost of a few origin requests, not one per listener", async () => {
    const { late, originRequests: sent } = await lateness();
    expect(Math.max(...late)).toBeLessThan(200);
    // One request per lock age while the origin holds them (0.7 s / 0.1 s), never per listener.
    expect(sent).toBeGreaterThan(1);
    expect(sent).toBeLessThanOrEqual(9);
  });

  it("waited up to 0.5 s with a lock as old as the origin's hold (the former default)", async () => {
    const { late, originRequests: sent } = await lateness(15_000);
    expect(sent).toBe(1);
    expect(Math.max(...late)).toBeGreaterThan(250);
  });
});
