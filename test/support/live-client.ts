import WebSocket from "ws";

export interface LiveMessage {
  type: string;
  [key: string]: any;
}

/** A WebSocket client of `/api/spaces/:id/live` that records every message with its arrival time. */
export class LiveClient {
  readonly messages: { at: number; message: LiveMessage }[] = [];
  private waiters: { test: (m: LiveMessage) => boolean; resolve: (m: LiveMessage) => void }[] = [];
  closeCode: number | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(data.toString()) as LiveMessage;
      this.messages.push({ at: performance.now(), message });
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(message)) return true;
        w.resolve(message);
        return false;
      });
    });
    socket.on("close", (code) => {
      this.closeCode = code;
    });
  }

  static connect(base: string, spaceId: string, token?: string): Promise<LiveClient> {
    return LiveClient.open(base, `/api/spaces/${spaceId}/live`, token);
  }

  /** Any of Amphi's sockets, e.g. `/api/notifications/live`. */
  static open(base: string, path: string, token?: string): Promise<LiveClient> {
    const url = `${base.replace(/^http/, "ws")}${path}`;
    const socket = new WebSocket(
      url,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new LiveClient(socket)));
      socket.once("unexpected-response", (_req, res) =>
        reject(
          Object.assign(new Error(`live refused: ${res.statusCode}`), { status: res.statusCode }),
        ),
      );
      socket.once("error", reject);
    });
  }

  /** Resolves with the first message (already received or coming) that passes `test`. */
  next(test: (m: LiveMessage) => boolean, timeoutMs = 3000, since = 0): Promise<LiveMessage> {
    const seen = this.messages.slice(since).find((m) => test(m.message));
    if (seen) return Promise.resolve(seen.message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("no matching live message in time")),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Waits only for messages that arrive after this call. */
  nextNew(test: (m: LiveMessage) => boolean, timeoutMs = 3000): Promise<LiveMessage> {
    return this.next(test, timeoutMs, this.messages.length);
  }

  close(): void {
    this.socket.close();
  }
}
