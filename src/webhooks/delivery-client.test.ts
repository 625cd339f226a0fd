import { lookup } from "node:dns/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DeliveryClient } from "./delivery-client.ts";
import { newSigningSecret } from "./signer.ts";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler = (_req, _body, res) => res.end();
const seen: { headers: IncomingMessage["headers"]; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      seen.push({ headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  seen.length = 0;
});

const secret = newSigningSecret();
const message = { id: "msg_test1", body: JSON.stringify({ type: "webhook.test", data: {} }) };
const client = new DeliveryClient({ policy: { allowLoopback: true }, timeoutMs: 500 });

describe("webhook delivery attempt", () => {
  it("POSTs the body with Standard Webhooks headers a receiver verifies", async () => {
    handler = (_req, _body, res) => res.writeHead(204).end();
    const result = await client.deliverAttempt({ url: `${base}/hook`, secret }, message);
    expect(result).toMatchObject({ outcome: "delivered", statusCode: 204, error: null });
    const [request] = seen;
    expect(request?.body).toBe(message.body);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["webhook-id"]).toBe("msg_test1");
    expect(
      new Webhook(secret).verify(request?.body ?? "", request?.headers as Record<string, string>),
    ).toEqual({ type: "webhook.test", data: {} });
  });

  it("counts any answer outside 2xx as a failure, with its status and Retry-After", async () => {
    handler = (_req, _body, res) => res.writeHead(503, { "retry-after": "7" }).end("busy");
    const result = await client.deliverAttempt({ url: base, secret }, message);
    expect(result).toMatchObject({
      outcome: "failed",
      statusCode: 503,
      error: "HTTP 503",
      retryAfterSeconds: 7,
    });
  });

  it("does not follow redirects", async () => {
    handler = (req, _body, res) => {
      if (req.url === "/moved") res.writeHead(307, { location: `${base}/elsewhere` }).end();
      else res.writeHead(200).end();
    };
    const result = await client.deliverAttempt({ url: `${base}/moved`, secret }, message);
    expect(result).toMatchObject({ outcome: "failed", statusCode: 307 });
    expect(seen.map((s) => s.body)).toHaveLength(1);
  });

  it("gives up on a receiver that does not answer in time", async () => {
    handler = () => {}; // never answers
    const result = await client.deliverAttempt({ url: base, secret }, message);
    expect(result).toMatchObject({ outcome: "failed", statusCode: null });
    expect(result.error).toMatch(/timed out/);
    expect(result.durationMs).toBeLessThan(3_000);
  });

  it("reads only the start of a huge answer", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200);
      const chunk = "x".repeat(64 * 1024);
      const write = () => {
        while (res.write(chunk)) {}
      };
      res.on("drain", write);
      write(); // endless: only a capped read finishes
    };
    const result = await client.deliverAttempt({ url: base, secret }, message);
    expect(result).toMatchObject({ outcome: "delivered", statusCode: 200 });
  });

  it("reports a refused connection", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await client.deliverAttempt(
      { url: `http://127.0.0.1:${port}`, secret },
      message,
    );
    expect(result).toMatchObject({
      outcome: "failed",
      statusCode: null,
      error: "connection refused",
    });
  });

  it("refuses, at delivery time, names and addresses the policy does not allow", async () => {
    const strict = new DeliveryClient({ policy: { allowLoopback: false }, timeoutMs: 500 });
    try {
      // This machine's name resolves to loopback here (/etc/hosts): the URL passes the
      // creation check, the address it resolves to is refused when connecting.
      const name = hostname();
      const addresses = await lookup(name, { all: true }).catch(() => []);
      if (addresses.length > 0 && addresses.every((a) => a.address.startsWith("127."))) {
        const byName = await strict.deliverAttempt(
          { url: `https://${name}:${new URL(base).port}/`, secret },
          message,
        );
        expect(byName).toMatchObject({ outcome: "failed", statusCode: null });
        expect(byName.error).toMatch(/own machine/);
      }
      const literal = await strict.deliverAttempt({ url: "https://10.0.0.1/", secret }, message);
      expect(literal).toMatchObject({ outcome: "failed", statusCode: null });
      expect(literal.error).toMatch(/public addresses only/);
      expect(seen).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });
});
