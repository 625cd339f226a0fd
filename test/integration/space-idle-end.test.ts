import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import { startTonePublisher, type TonePublisher, whipHttpSignal } from "../support/whip-client.ts";

/**
 * A live Space nobody is on stage for (no microphone connected, the host's included) and
 * nobody listens to ends itself after SPACE_IDLE_END_MINUTES (3 s here), as if its host had
 * ended it: the document says ended and the recording is ready. A listener, or the host on
 * stage alone, keeps it going.
 */
const idleSeconds = 3;
let server: TestServer;
const publishers: TonePublisher[] = [];

beforeAll(async () => {
  server = await startTestServer({ mediaPlane: "on", spaceIdleEndMinutes: idleSeconds / 60 });
});

afterAll(async () => {
  await Promise.all(publishers.map((p) => p.stop().catch(() => {})));
  await server?.close();
});

async function liveSpace(token: string, title: string): Promise<string> {
  const res = await api(server.url, "POST", "/api/spaces", {
    token,
    body: { title, startNow: true, recording: true },
  });
  expect(res.status).toBe(201);
  return res.body.space.id;
}

const stateOf = async (id: string): Promise<string> =>
  (await api(server.url, "GET", `/api/spaces/${id}`)).body.space.state;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("an abandoned live Space", { timeout: 60_000 }, () => {
  it("ends itself after the idle time, like a host ending it (recording ready)", async () => {
    const host = await signUp(server.url);
    const id = await liveSpace(host.token, "Forgotten");
    const startedAt = Date.now();
    await expect.poll(() => stateOf(id), { timeout: 20_000, interval: 250 }).toBe("ended");
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(idleSeconds * 1000 - 500);
    const doc = (await api(server.url, "GET", `/api/spaces/${id}`)).body.space;
    expect(doc.endedAt).toEqual(expect.any(String));
    // The replay is there, as after a host's end.
    await expect
      .poll(async () => (await api(server.url, "GET", `/api/spaces/${id}/recording`)).status, {
        timeout: 15_000,
      })
      .toBe(200);
  });

  it("stays live while a listener is there", async () => {
    const host = await signUp(server.url);
    const id = await liveSpace(host.token, "Listened to");
    const ticket = await api(server.url, "POST", `/api/spaces/${id}/tickets`, { body: {} });
    expect(ticket.status).toBe(200);
    let current = ticket.body.ticket as string;
    for (let i = 0; i < 4; i++) {
      await sleep(idleSeconds * 500);
      const beat = await api(server.url, "POST", `/api/spaces/${id}/heartbeat`, {
        body: { ticket: current },
      });
      current = beat.body.ticket ?? current;
    }
    expect(await stateOf(id)).toBe("live");
  });

  it("stays live while the host is on stage alone, and ends once they leave", async () => {
    const host = await signUp(server.url);
    const id = await liveSpace(host.token, "Host alone");
    const publisher = await startTonePublisher({
      frequency: 440,
      signal: whipHttpSignal(`${server.url}/whip/${id}`, host.token),
    });
    publishers.push(publisher);
    await sleep(idleSeconds * 2000);
    expect(await stateOf(id)).toBe("live");
    await publisher.stop();
    await expect.poll(() => stateOf(id), { timeout: 20_000, interval: 250 }).toBe("ended");
  });
});
