import type { Logger } from "pino";
import type { WebSocket } from "ws";
import type { Bus } from "../bus/bus.ts";
import { FirstSeenIds } from "../domain/notifications/first-seen-ids.ts";
import type { NotificationEvents } from "./events.ts";
import type { InboxRepository } from "./inbox-repository.ts";
import { toNotification } from "./notification-document.ts";
import { inQuietHours } from "./quiet-hours.ts";

interface Connection {
  socket: WebSocket;
  alive: boolean;
}

/** Above this many unsent bytes a client is too slow to keep; it reconnects. */
const maxBufferedBytes = 1_000_000;

/**
 * Live toasts: the logged-in person's own WebSocket (`/api/notifications/live`), one or more
 * per account on each node. Every delivery is announced on the fleet's bus; each node toasts
 * the people of it that it holds a socket for (reading their entries, outside quiet hours),
 * so a delivery costs a node nothing when none of its people are in it. Each entry is toasted
 * once per node: a retried delivery is announced again and toasts nobody twice.
 */
export class NotificationSockets {
  private readonly byAccount = new Map<string, Set<Connection>>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  /** Entries toasted here (only people with a socket on this node are noted). */
  private readonly toasted = new FirstSeenIds(200_000);

  constructor(
    bus: Bus<NotificationEvents>,
    private readonly inbox: InboxRepository,
    private readonly log: Logger,
    options: { heartbeatMs?: number; now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.unsubscribe = bus.subscribe("delivered", (event) => {
      this.toast(event).catch((error) =>
        this.log.warn({ err: error }, "notifications: toast failed"),
      );
    });
    this.heartbeat = setInterval(() => this.checkAlive(), options.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  private readonly now: () => Date;

  get connections(): number {
    let n = 0;
    for (const set of this.byAccount.values()) n += set.size;
    return n;
  }

  connect(accountId: string, socket: WebSocket): void {
    const connection: Connection = { socket, alive: true };
    let set = this.byAccount.get(accountId);
    if (!set) {
      set = new Set();
      this.byAccount.set(accountId, set);
    }
    set.add(connection);
    socket.on("pong", () => {
      connection.alive = true;
    });
    socket.on("message", (data) => {
      connection.alive = true;
      const text = data.toString();
      if (text.length < 100 && text.includes('"ping"')) this.send(connection, '{"type":"pong"}');
    });
    socket.on("close", () => {
      const current = this.byAccount.get(accountId);
      if (!current?.delete(connection)) return;
      if (current.size === 0) this.byAccount.delete(accountId);
    });
    this.send(connection, '{"type":"ready"}');
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const set of this.byAccount.values()) {
      for (const c of set) {
        c.socket.close(1001, "server shutting down");
        setTimeout(() => c.socket.terminate(), 500).unref();
      }
    }
    this.byAccount.clear();
  }

  private async toast(event: NotificationEvents["delivered"]): Promise<void> {
    if (this.byAccount.size === 0) return;
    let here: string[];
    if (event.accountIds) {
      here = event.accountIds.filter((id) => this.byAccount.has(id));
    } else {
      const { lo, hi } = event.range ?? { lo: "", hi: null };
      here = [...this.byAccount.keys()].filter((id) => id > lo && (hi === null || id <= hi));
    }
    if (here.length === 0) return;
    const now = this.now();
    const recipients = await this.inbox.recipients(event.dedupeKey, { accountIds: here });
    for (const r of recipients) {
      if (inQuietHours(r.quietHours, now)) continue;
      if (!this.toasted.first(r.entry.id)) continue;
      const text = JSON.stringify({ type: "notification", notification: toNotification(r.entry) });
      for (const c of this.byAccount.get(r.entry.accountId) ?? []) this.send(c, text);
    }
  }

  private send(c: Connection, text: string): void {
    if (c.socket.readyState !== 1) return;
    if (c.socket.bufferedAmount > maxBufferedBytes) {
      c.socket.terminate();
      return;
    }
    c.socket.send(text);
  }

  private checkAlive(): void {
    for (const set of this.byAccount.values()) {
      for (const c of set) {
        if (!c.alive) {
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        c.socket.ping();
      }
    }
  }
}
