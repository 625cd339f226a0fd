import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { api, signUp } from "../support/amphi-test-server.ts";
import { type LocalCluster, startCluster } from "../support/cluster.ts";

/**
 * A small real fleet, started with `amphi cluster up` (PostgreSQL, Redis, two API nodes
 * behind HAProxy, one media node, one nginx edge): the line is one line whichever node
 * answers, the media is found wherever it is placed, and losing an API node or Redis in the
 * middle of a burst of joins costs no join.
 */
let cluster: LocalCluster;
let spaceId: string;
let host: { token: string };

beforeAll(async () => {
  cluster = await startCluster({
    api: 2,
    media: 1,
    edges: 1,
    env: {
      // Two admitted per second (burst two): everyone after them waits in line.
      ADMIT_RATE_PER_SECOND: "2",
      ATTACK_MODE: "off",
      NETWORK_LIMIT_EXEMPT: "127.0.0.0/8",
      SIGNUPS_PER_IP: "1000",
    },
  });
  host = await signUp(cluster.info.balancer);
  const created = await api(cluster.info.balancer, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Fleet night", startNow: true },
  });
  expect(created.status).toBe(201);
  spaceId = created.body.space.id;
}, 300_000);

afterAll(async () => {
  await cluster?.down();
}, 120_000);

const nodeUrl = (name: string) => {
  const node = cluster.info.api.find((n) => n.name === name);
  if (!node) throw new Error(`no ${name}`);
  return node.url;
};

const ticket = (base: string, body: Record<string, unknown> = {}) =>
  api(base, "POST", `/api/spaces/${spaceId}/tickets`, { body });

describe("a fleet of API nodes shares one admission line", () => {
  test("a place taken on one API node keeps its position on the other and is admitted there", async () => {
    const one = nodeUrl("api-1");
    const two = nodeUrl("api-2");
    // Spend the burst, then queue two places on api-1.
    const answers = [await ticket(one), await ticket(two), await ticket(one), await ticket(one)];
    const queued = answers.filter((a) => a.status === 202);
    expect(queued.length).toBeGreaterThanOrEqual(2);
    const [first, second] = queued;
    if (!first || !second) throw new Error("expected two places in line");
    expect(second.body.queue.position).toBeGreaterThan(first.body.queue.position);
    // The same place, asked on the other node: the same position (the line is shared).
    const again = await ticket(two, { queueToken: second.body.queue.token });
    expect(again.status).toBe(202);
    expect(again.body.queue.position).toBe(second.body.queue.position);
    expect(again.body.queue.token).toBe(second.body.queue.token);
    await ticket(two, { queueToken: first.body.queue.token });
    // Confirmed places are released at the fleet's rate; each is admitted on either node.
    let admitted: Awaited<ReturnType<typeof ticket>> | null = null;
    for (let i = 0; i < 40 && !admitted; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const poll = await ticket(i % 2 ? one : two, { queueToken: first.body.queue.token });
      if (poll.status === 200) admitted = poll;
      else expect(poll.status).toBe(202);
    }
    expect(admitted?.body.ticket).toEqual(expect.any(String));
    // A ticket minted by one node is good on the other (shared TICKET_KEYS), and counted once.
    const beat = await api(one, "POST", `/api/spaces/${spaceId}/heartbeat`, {
      body: { ticket: admitted?.body.ticket },
    });
    expect(beat.status).toBe(200);
    expect(beat.body.listeners).toBeGreaterThanOrEqual(1);
  });

  test("listeners reach the Space's LL-HLS through the edge, wherever it is placed", async () => {
    let playlist = "";
    for (let i = 0; i < 40 && !playlist.includes("#EXT-X-PART:"); i++) {
      const res = await fetch(`${cluster.info.entry}${cluster.hlsPath(spaceId, "live.m3u8")}`);
      if (res.status === 200) playlist = await res.text();
      else await new Promise((r) => setTimeout(r, 250));
    }
    expect(playlist).toContain("#EXTM3U");
    expect(playlist).toContain("#EXT-X-PART");
    const part = /#EXT-X-PART:.*URI="([^"]+)"/.exec(playlist)?.[1];
    expect(part).toBeDefined();
    const media = await fetch(`${cluster.info.entry}${cluster.hlsPath(spaceId, part ?? "")}`);
    expect(media.status).toBe(200);
    expect((await media.arrayBuffer()).byteLength).toBeGreaterThan(100);
  });
});

describe("speakers reach the media node through the API nodes", () => {
  test("a browser's WHIP offer with its session cookie is forwarded to the owner and judged there, not refused as cross-origin", async () => {
    const base = cluster.info.balancer;
    const res = await fetch(`${base}/whip/${spaceId}`, {
      method: "POST",
      headers: {
        "content-type": "application/sdp",
        cookie: `amphi_session=${host.token}`,
        // What a browser on the app's page sends: its own origin, matching the Host it used.
        origin: new URL(base).origin,
      },
      body: "v=0\r\n",
    });
    const body = (await res.json()) as { error?: { code: string } };
    // The media node authenticated the host (same Host as the browser used) and refused the
    // junk offer as SDP, not as a cross-origin request.
    expect(body.error?.code).not.toBe("AMPHI_CROSS_ORIGIN");
    expect(res.status).toBe(400);
    expect(body.error?.code).toMatch(/^AMPHI_WHIP_/);
  });
});

/** Ticket requests through the balancer, `perSecond` for `seconds`; the statuses seen. */
async function burst(perSecond: number, seconds: number, during: () => Promise<void>) {
  const statuses: (number | string)[] = [];
  const requests: Promise<void>[] = [];
  const fault = new Promise<void>((resolve) =>
    setTimeout(() => void during().then(resolve, resolve), (seconds * 1000) / 3),
  );
  for (let i = 0; i < perSecond * seconds; i++) {
    requests.push(
      ticket(cluster.info.balancer).then(
        (res) => void statuses.push(res.status),
        (error: Error) => void statuses.push(`network: ${error.message}`),
      ),
    );
    await new Promise((r) => setTimeout(r, 1000 / perSecond));
  }
  await Promise.all([...requests, fault]);
  return statuses;
}

describe("losing a part of the fleet mid-burst costs no join", () => {
  test("an API node killed with SIGKILL in the middle of a burst", async () => {
    const statuses = await burst(40, 6, () => cluster.kill("api-1"));
    const failed = statuses.filter((s) => s !== 200 && s !== 202);
    expect(failed).toEqual([]);
    expect(statuses).toHaveLength(240);
    await cluster.start("api-1");
  }, 120_000);

  test("Redis killed in the middle of a burst: every node answers on its own, then shares again", async () => {
    const statuses = await burst(40, 6, () => cluster.kill("redis"));
    const failed = statuses.filter((s) => s !== 200 && s !== 202);
    expect(failed).toEqual([]);
    await cluster.start("redis");
    // The shared line is back: a place taken now on one node is known on the other.
    await new Promise((r) => setTimeout(r, 2_000));
    const place = await ticket(nodeUrl("api-1"));
    if (place.status === 202) {
      const elsewhere = await ticket(nodeUrl("api-2"), { queueToken: place.body.queue.token });
      expect(elsewhere.body.queue?.position ?? 0).toBeLessThanOrEqual(place.body.queue.position);
    }
  }, 120_000);
});
