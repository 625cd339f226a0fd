import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeanAgent } from "./lean-agent.ts";

let server: Server;
let origin: string;
const held: ServerResponse[] = [];
const sockets = new Set<unknown>();

function route(req: IncomingMessage, res: ServerResponse): void {
  sockets.add(req.socket);
  if (req.url === "/hold") {
    held.push(res);
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        method: req.method,
        url: req.url,
        from: req.socket.remoteAddress,
        type: req.headers["content-type"] ?? null,
        body: Buffer.concat(chunks).toString(),
      }),
    );
  });
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("LeanAgent", () => {
  it("sends a JSON body through undici's request(), from the client's own source address", async () => {
    const agent = new LeanAgent({ localAddress: "127.0.0.23" });
    const answer = await request(`${origin}/api/spaces/x/tickets`, {
      dispatcher: agent,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ altcha: "abc" }),
    });
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.json()).toEqual({
      method: "POST",
      url: "/api/spaces/x/tickets",
      from: "127.0.0.23",
      type: "application/json",
      body: '{"altcha":"abc"}',
    });
    await agent.close();
  });

  it("answers a request while another waits on the server, on a second connection", async () => {
    sockets.clear();
    const agent = new LeanAgent();
    const waiting = request(`${origin}/hold`, { dispatcher: agent }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const heartbeat = await request(`${origin}/heartbeat`, { dispatcher: agent, method: "POST" });
    expect(heartbeat.statusCode).toBe(200);
    await heartbeat.body.text();
    expect(sockets.size).toBe(2);
    // Idle again: the next request reuses an open connection.
    await (await request(`${origin}/again`, { dispatcher: agent })).body.text();
    expect(sockets.size).toBe(2);
    await agent.destroy();
    expect(await waiting).toBeInstanceOf(Error);
  });

  it("queues on the least loaded connection once it holds as many as allowed", async () => {
    sockets.clear();
    const agent = new LeanAgent({ connectionsPerOrigin: 1 });
    const first = request(`${origin}/one`, { dispatcher: agent });
    const second = request(`${origin}/two`, { dispatcher: agent });
    const bodies = await Promise.all([first, second].map(async (r) => (await r).body.json()));
    expect(bodies.map((b) => (b as { url: string }).url)).toEqual(["/one", "/two"]);
    expect(sockets.size).toBe(1);
    await agent.close();
  });

  it("fails a request with the socket's error code when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const agent = new LeanAgent();
    const error = await request(`http://127.0.0.1:${port}/`, { dispatcher: agent }).catch(
      (e: { code?: string }) => e,
    );
    expect((error as { code?: string }).code).toBe("ECONNREFUSED");
    await agent.close();
    await expect(request(`${origin}/after`, { dispatcher: agent })).rejects.toThrow(/closed/);
  });
});
