import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  /** The raw body, as signed. */
  body: string;
  at: number;
}

/**
 * A real HTTP server on a random loopback port that receives webhooks: it keeps every
 * request and answers each path from its script (statuses in order, then 200).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly scripts = new Map<string, number[]>();
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const path = req.url ?? "/";
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
        receiver?.received.push({
          path,
          headers,
          body: Buffer.concat(chunks).toString("utf8"),
          at: Date.now(),
        });
        const status = receiver?.scripts.get(path)?.shift() ?? 200;
        res.writeHead(status).end(status < 300 ? "ok" : "no");
        receiver?.wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}`);
    return receiver;
  }

  /** Answers the next requests to `path` with these statuses, in order. */
  script(path: string, statuses: number[]): void {
    this.scripts.set(path, [...statuses]);
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Resolves once `count` requests reached `path` (rejects after `timeoutMs`). */
  waitFor(path: string, count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    return new Promise((resolve, reject) => {
      const test = () => this.at(path).length >= count;
      if (test()) {
        resolve(this.at(path));
        return;
      }
      const timer = setTimeout(
        () => reject(new Error(`${path}: ${this.at(path).length} of ${count} webhooks arrived`)),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.at(path));
        },
      });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
