import { createSocket, type Socket } from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPublisherOffer } from "../../src/media/whip/sdp-samples.ts";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";

/**
 * The candidates of a WHIP offer cannot make the server probe an address of the offer's
 * choosing: a candidate at the request's own address (127.0.0.1 here) gets the server's ICE
 * checks, one at another address (127.0.0.2, a UDP socket listening there) gets nothing, and
 * neither do mDNS names or the candidates past the limit.
 */
let server: TestServer;

/** A UDP socket that counts what reaches it. */
interface Trap {
  socket: Socket;
  port: number;
  received: number;
}

async function trap(address: string): Promise<Trap> {
  const socket = createSocket("udp4");
  const t: Trap = { socket, port: 0, received: 0 };
  socket.on("message", () => {
    t.received++;
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  t.port = socket.address().port;
  return t;
}

const traps: Trap[] = [];

beforeAll(async () => {
  server = await startTestServer({ mediaPlane: "on", webrtcMaxOfferCandidates: 2 });
});

afterAll(async () => {
  for (const t of traps) t.socket.close();
  await server?.close();
});

function offerWith(candidates: string[]): string {
  return chromiumPublisherOffer.replace(
    /(a=candidate:[^\r]*\r\n)+/,
    candidates.map((c) => `${c}\r\n`).join(""),
  );
}

describe("the ICE candidates of a WHIP offer", () => {
  it("are checked at the request's own address only", { timeout: 30_000 }, async () => {
    const own = await trap("127.0.0.1");
    const other = await trap("127.0.0.2");
    const pastLimit = await trap("127.0.0.1");
    traps.push(own, other, pastLimit);
    const host = await signUp(server.url);
    const created = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Probes", startNow: true },
    });
    const spaceId = created.body.space.id;
    const offer = offerWith([
      `a=candidate:1 1 udp 2122194687 127.0.0.2 ${other.port} typ host generation 0`,
      "a=candidate:2 1 udp 2122194687 0a1b2c3d-0000-4000-8000-000000000000.local 9 typ host",
      `a=candidate:3 1 udp 2122194687 127.0.0.1 ${own.port} typ host generation 0`,
      `a=candidate:4 1 udp 2122194686 127.0.0.1 ${own.port} typ host generation 0`,
      `a=candidate:5 1 udp 2122194685 127.0.0.1 ${pastLimit.port} typ host generation 0`,
    ]);
    const res = await fetch(`${server.url}/whip/${spaceId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${host.token}`, "content-type": "application/sdp" },
      body: offer,
    });
    expect(res.status).toBe(201);
    // The server checks the kept candidate (proof that a probe would be seen)...
    await expect.poll(() => own.received, { timeout: 10_000 }).toBeGreaterThan(0);
    // ...and, given as long again, never the others.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(other.received).toBe(0);
    expect(pastLimit.received).toBe(0);
  });
});
