import type { Logger } from "pino";
import type { WebSocket } from "ws";
import type { Bus } from "../bus/bus.ts";
import type { ReactionBatch } from "../domain/spaces/reactions.ts";
import type { Metrics } from "../http/metrics.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import { requestsOf, type SpacesService } from "../spaces/spaces-service.ts";
import type { Presence } from "./presence.ts";

interface Connection {
  socket: WebSocket;
  accountId: string;
  /** Last standing sent, to push "me" only when it changed. */
  lastMe: string;
}

/** Above this many unsent bytes a client is too slow to keep; it reconnects and resyncs. */
const maxBufferedBytes = 1_000_000;

/**
 * Pushes live Space state to connected clients: the Space document on every change, each
 * person's own standing, requests to hosts, counts and reaction batches. One serialization
 * per broadcast, whatever the number of clients.
 */
export class LiveHub {
  private readonly rooms = new Map<string, Set<Connection>>();
  private readonly countTimers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly spaces: SpacesService,
    bus: Bus<SpaceEvents>,
    private readonly presence: Presence,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly countsThrottleMs = 100,
  ) {
    this.unsubscribe = [
      bus.subscribe("spaceChanged", ({ spaceId }) => {
        void this.pushState(spaceId).catch((error) =>
          this.log.warn({ err: error, spaceId }, "live: could not push a change"),
        );
      }),
      bus.subscribe("reactions", (batch) => this.pushReactions(batch)),
    ];
  }

  /** Registers a socket of a logged-in viewer; the route has already checked the Space. */
  async connect(spaceId: string, accountId: string, socket: WebSocket): Promise<void> {
    const connection: Connection = { socket, accountId, lastMe: "" };
    let room = this.rooms.get(spaceId);
    if (!room) {
      room = new Set();
      this.rooms.set(spaceId, room);
    }
    room.add(connection);
    this.presence.join(spaceId, accountId);
    this.metrics.liveConnections.inc();

    socket.on("message", (data) => {
      const text = data.toString();
      if (text.length < 100 && text.includes('"ping"'))
        this.send(connection, '{"type":"pong"}', "pong");
    });
    socket.on("close", () => this.disconnect(spaceId, connection));
    socket.on("error", () => socket.terminate());

    await this.pushState(spaceId, connection);
    this.scheduleCounts(spaceId);
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
    for (const timer of this.countTimers.values()) clearTimeout(timer);
    for (const room of this.rooms.values()) {
      for (const c of room) c.socket.close(1001, "server shutting down");
    }
    this.rooms.clear();
  }

  private disconnect(spaceId: string, connection: Connection): void {
    const room = this.rooms.get(spaceId);
    if (!room?.delete(connection)) return;
    if (room.size === 0) this.rooms.delete(spaceId);
    this.presence.leave(spaceId, connection.accountId);
    this.metrics.liveConnections.dec();
    this.scheduleCounts(spaceId);
  }

  /** Sends the document, standing and requests to `only`, or to the whole room. */
  private async pushState(spaceId: string, only?: Connection): Promise<void> {
    const room = this.rooms.get(spaceId);
    if (!room || room.size === 0) return;
    const snapshot = await this.spaces.snapshot(spaceId);
    const space = JSON.stringify({ type: "space", space: this.spaces.toDocument(snapshot) });
    const requests = JSON.stringify({ type: "requests", requests: requestsOf(snapshot) });
    for (const c of only ? [only] : room) {
      const participant = snapshot.participants.get(c.accountId);
      if (participant?.removed) {
        this.send(c, '{"type":"removed"}', "removed");
        c.socket.close(4403, "removed from the Space");
        continue;
      }
      this.send(c, space, "space");
      const me = JSON.stringify({
        type: "me",
        me: await this.spaces.standing(spaceId, c.accountId),
      });
      if (me !== c.lastMe) {
        c.lastMe = me;
        this.send(c, me, "me");
      }
      if (participant && (participant.role === "host" || participant.role === "cohost")) {
        this.send(c, requests, "requests");
      }
    }
  }

  private pushReactions(batch: ReactionBatch): void {
    const room = this.rooms.get(batch.spaceId);
    if (!room) return;
    const text = JSON.stringify({
      type: "reactions",
      counts: batch.counts,
      samples: batch.samples,
      total: batch.total,
    });
    for (const c of room) this.send(c, text, "reactions");
  }

  /** Joins and leaves come in bursts; counts go out at most once per throttle window. */
  private scheduleCounts(spaceId: string): void {
    if (this.countTimers.has(spaceId)) return;
    const timer = setTimeout(() => {
      this.countTimers.delete(spaceId);
      const room = this.rooms.get(spaceId);
      if (!room) return;
      void this.spaces
        .snapshot(spaceId)
        .then((snapshot) => {
          const text = JSON.stringify({
            type: "counts",
            counts: this.spaces.toDocument(snapshot).counts,
          });
          for (const c of room) this.send(c, text, "counts");
        })
        .catch((error) => this.log.warn({ err: error, spaceId }, "live: could not push counts"));
    }, this.countsThrottleMs);
    timer.unref();
    this.countTimers.set(spaceId, timer);
  }

  private send(c: Connection, text: string, type: string): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    if (c.socket.bufferedAmount > maxBufferedBytes) {
      c.socket.terminate();
      return;
    }
    c.socket.send(text);
    this.metrics.liveMessages.labels(type).inc();
  }
}
