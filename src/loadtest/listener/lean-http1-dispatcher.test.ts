import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeanHttp1Dispatcher } from "./lean-http1-dispatcher.ts";

let server: Server;
let origin: string;
const connections = new Set<unknown>();
let held: ServerResponse | undefined;

function route(req: IncomingMessage, res: ServerResponse): void {
  connections.add(req.socket);
  const url = new URL(req.url ?? "/", "http://x");
  switch (url.pathname) {
    case "/fixed":
      res.setHeader("content-type", "text/plain");
      res.end(`fixed ${url.search} ${req.headers["x-listener"] ?? ""}`);
      return;
    case "/chunked":
      res.write("one,");
      setTimeout(() => res.end("two"), 5);
      return;
    case "/close":
      res.setHeader("connection", "close");
      res.end("bye");
      return;
    case "/missing":
      res.statusCode = 404;
      res.setHeader("retry-after", "2");
      res.end('{"error":{"code":"AMPHI_NOT_FOUND"}}');
      return;
    case "/hold":
      held = res;
      return;
    case "/big":
      res.end(Buffer.alloc(300_000, 7));
      return;
    default:
      res.statusCode = 500;
      res.end();
  }
}

/** One GET through `dispatch`: status, headers and body. */
function get(
  dispatcher: Dispatcher,
  path: string,
  options: { method?: "GET" | "HEAD"; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: Record<string, unknown> = {};
    dispatcher.dispatch(
      { origin, path, method: options.method ?? "GET", headers: options.headers },
      {
        onRequestStart: (controller) => {
          options.signal?.addEventListener("abort", () => controller.abort(new Error("stop")));
        },
        onResponseStart: (_c, code, h) => {
          status = code;
          headers = h;
        },
        onResponseData: (_c, chunk) => {
          chunks.push(chunk);
        },
        onResponseEnd: () => resolve({ status, headers, body: Buffer.concat(chunks).toString() }),
        onResponseError: (_c, error) => reject(error),
      },
    );
  });
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("LeanHttp1Dispatcher", () => {
  it("reuses one keep-alive connection for every request, in order", async () => {
    connections.clear();
    const dispatcher = new LeanHttp1Dispatcher(origin);
    const answers = await Promise.all(
      ["?a=1", "?a=2", "?a=3"].map((q) =>
        get(dispatcher, `/fixed${q}`, { headers: { "x-listener": "7" } }),
      ),
    );
    expect(answers.map((a) => a.body)).toEqual(["fixed ?a=1 7", "fixed ?a=2 7", "fixed ?a=3 7"]);
    expect(answers[0]?.headers["content-type"]).toBe("text/plain");
    expect(connections.size).toBe(1);
    await dispatcher.close();
  });

  it("reads chunked and large bodies, HEAD answers, and error statuses", async () => {
    const dispatcher = new LeanHttp1Dispatcher(origin);
    expect((await get(dispatcher, "/chunked")).body).toBe("one,two");
    expect((await get(dispatcher, "/big")).body.length).toBe(300_000);
    const head = await get(dispatcher, "/fixed", { method: "HEAD" });
    expect(head).toMatchObject({ status: 200, body: "" });
    const missing = await get(dispatcher, "/missing");
    expect(missing.status).toBe(404);
    expect(missing.headers["retry-after"]).toBe("2");
    expect((await get(dispatcher, "/fixed")).status).toBe(200);
    await dispatcher.close();
  });

  it("opens a new connection after the server closes one", async () => {
    connections.clear();
    const dispatcher = new LeanHttp1Dispatcher(origin);
    expect((await get(dispatcher, "/close")).body).toBe("bye");
    expect((await get(dispatcher, "/fixed")).status).toBe(200);
    expect(connections.size).toBe(2);
    await dispatcher.close();
  });

  it("aborts a request the server holds, and carries on with the next", async () => {
    const dispatcher = new LeanHttp1Dispatcher(origin);
    const stop = new AbortController();
    const waiting = get(dispatcher, "/hold", { signal: stop.signal });
    const next = get(dispatcher, "/fixed");
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    await expect(waiting).rejects.toThrow("stop");
    expect((await next).status).toBe(200);
    held?.destroy();
    await dispatcher.close();
  });

  it("fails what is in flight when destroyed, and works with undici's request()", async () => {
    const dispatcher = new LeanHttp1Dispatcher(origin);
    const viaRequest = await dispatcher.request({ origin, path: "/fixed?r=1", method: "GET" });
    expect(viaRequest.statusCode).toBe(200);
    expect(await viaRequest.body.text()).toBe("fixed ?r=1 ");
    const waiting = get(dispatcher, "/hold");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await dispatcher.destroy();
    await expect(waiting).rejects.toThrow();
    held?.destroy();
    await expect(get(dispatcher, "/fixed")).rejects.toThrow(/closed/);
  });
});
