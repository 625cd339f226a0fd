import type { Logger } from "pino";
import type { WebSocket } from "ws";
import type { Bus } from "../bus/bus.ts";
import type { RecordingStatus } from "../contracts/recording-contracts.ts";
import type { ReactionBatch } from "../domain/spaces/reactions.ts";
import { isFinished } from "../domain/spaces/space-lifecycle.ts";
import type { Metrics } from "../http/metrics.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import type { SpaceSnapshot } from "../spaces/space-snapshots.ts";
import { requestsOf, type SpacesService } from "../spaces/spaces-service.ts";

interface Connection {
  socket: WebSocket;
  accountId: string;
  /** Last standing sent, to push "me" only when it changed. */
  lastMe: string;
  /** Answered the last ping; a socket that misses one is dead and dropped. */
  alive: boolean;
}

interface Room {
  connections: Set<Connection>;
  /** The push in flight, so pushes to one room never interleave. */
  pushing: Promise<void> | null;
  /** Changes that arrived while a push was in flight; null = none, [] = everyone. */
  dirty: Set<string> | "all" | null;
  lastSpace: string;
}

/** Above this many unsent bytes a client is too slow to keep; it reconnects and resyncs. */
const maxBufferedBytes = 1_000_000;
/** Close code for "the Space has ended" (the client stops reconnecting). */
export const spaceFinishedCloseCode = 4410;
export const removedCloseCode = 4403;

/**
 * Pushes live Space state to connected clients: the Space document on every change, each
 * person's own standing, requests to hosts, counts and reaction batches. One serialization
 * per broadcast, whatever the number of clients; one push at a time per room, with changes
 * that arrive meanwhile folded into the next one.
 */
export class LiveHub {
  private readonly rooms = new Map<string, Room>();
  private readonly countTimers = new Map<string, NodeJS.Timeout>();
  /** The last "speaking" message per Space, while someone speaks. */
  private readonly speaking = new Map<string, string>();
  /** Since when each live Space's recording is paused (its media node said so). */
  private readonly pausedRecordings = new Map<string, string>();
  private readonly unsubscribe: (() => void)[];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly spaces: SpacesService,
    bus: Bus<SpaceEvents>,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    options: { countsThrottleMs?: number; heartbeatMs?: number } = {},
  ) {
    this.countsThrottleMs = options.countsThrottleMs ?? 100;
    this.unsubscribe = [
      bus.subscribe("spaceChanged", ({ spaceId, accountIds }) =>
        this.schedulePush(spaceId, accountIds.length === 0 ? "all" : accountIds),
      ),
      bus.subscribe("reactions", (batch) => this.pushReactions(batch)),
      bus.subscribe("speaking", ({ spaceId, accountIds }) => {
        const text = JSON.stringify({ type: "speaking", speakers: accountIds });
        // Kept so people who connect mid-sentence see who is speaking at once.
        if (accountIds.length > 0) this.speaking.set(spaceId, text);
        else this.speaking.delete(spaceId);
        const room = this.rooms.get(spaceId);
        if (!room) return;
        for (const c of room.connections) this.send(c, text, "speaking");
      }),
      bus.subscribe("recording", ({ spaceId, state, pausedSince }) => {
        if (state === "paused" && pausedSince) this.pausedRecordings.set(spaceId, pausedSince);
        else this.pausedRecordings.delete(spaceId);
        void this.pushRecording(spaceId).catch((error) =>
          this.log.warn({ err: error, spaceId }, "live: could not push the recording state"),
        );
      }),
    ];
    this.heartbeat = setInterval(() => this.checkAlive(), options.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  private readonly countsThrottleMs: number;

  /** Registers a socket of a logged-in viewer; the route has already checked the Space. */
  async connect(spaceId: string, accountId: string, socket: WebSocket): Promise<void> {
    const connection: Connection = { socket, accountId, lastMe: "", alive: true };
    let room = this.rooms.get(spaceId);
    if (!room) {
      room = { connections: new Set(), pushing: null, dirty: null, lastSpace: "" };
      this.rooms.set(spaceId, room);
    }
    room.connections.add(connection);
    this.metrics.liveConnections.inc();

    socket.on("pong", () => {
      connection.alive = true;
    });
    socket.on("message", (data) => {
      connection.alive = true;
      const text = data.toString();
      if (text.length < 100 && text.includes('"ping"'))
        this.send(connection, '{"type":"pong"}', "pong");
    });
    socket.on("close", () => this.disconnect(spaceId, connection));

    await this.pushTo(spaceId, [connection], "all", true);
    const speaking = this.speaking.get(spaceId);
    if (speaking) this.send(connection, speaking, "speaking");
    this.refreshCounts(spaceId);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const stop of this.unsubscribe) stop();
    for (const timer of this.countTimers.values()) clearTimeout(timer);
    for (const room of this.rooms.values()) {
      for (const c of room.connections) {
        c.socket.close(1001, "server shutting down");
        // A client that does not answer the close frame must not hold the shutdown.
        setTimeout(() => c.socket.terminate(), 500).unref();
      }
    }
    this.rooms.clear();
  }

  private disconnect(spaceId: string, connection: Connection): void {
    const room = this.rooms.get(spaceId);
    if (!room?.connections.delete(connection)) return;
    if (room.connections.size === 0 && !room.pushing) this.rooms.delete(spaceId);
    this.metrics.liveConnections.dec();
    this.refreshCounts(spaceId);
  }

  private checkAlive(): void {
    for (const room of this.rooms.values()) {
      for (const c of room.connections) {
        if (!c.alive) {
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        c.socket.ping();
      }
    }
  }

  /** Queues a push of a change; `who` are the people whose own standing may have changed. */
  private schedulePush(spaceId: string, who: string[] | "all"): void {
    const room = this.rooms.get(spaceId);
    if (!room) return;
    if (room.dirty === "all" || who === "all") room.dirty = "all";
    else room.dirty = new Set([...(room.dirty ?? []), ...who]);
    if (room.pushing) return;
    room.pushing = (async () => {
      while (room.dirty) {
        const dirty = room.dirty;
        room.dirty = null;
        try {
          await this.pushTo(spaceId, room.connections, dirty === "all" ? "all" : dirty, false);
        } catch (error) {
          this.log.warn({ err: error, spaceId }, "live: could not push a change");
        }
      }
      room.pushing = null;
      if (room.connections.size === 0) this.rooms.delete(spaceId);
    })();
  }

  /**
   * Sends the document (when it changed, or always to new connections), the standing of the
   * people in `who`, and the request queue to hosts. Closes sockets of removed people, and
   * of everyone once the Space is over.
   */
  private async pushTo(
    spaceId: string,
    targets: Iterable<Connection>,
    who: Set<string> | "all",
    fresh: boolean,
  ): Promise<void> {
    const room = this.rooms.get(spaceId);
    const snapshot = await this.spaces.snapshot(spaceId);
    const space = JSON.stringify({ type: "space", space: this.spaces.toDocument(snapshot) });
    const spaceChanged = room !== undefined && space !== room.lastSpace;
    if (room && !fresh) room.lastSpace = space;
    const requests = JSON.stringify({ type: "requests", requests: requestsOf(snapshot) });
    const finished = isFinished(snapshot.space.state);
    if (finished) this.pausedRecordings.delete(spaceId);
    const recording = JSON.stringify({ type: "recording", recording: this.recordingOf(snapshot) });
    for (const c of [...targets]) {
      const participant = snapshot.participants.get(c.accountId);
      if (participant?.removed) {
        this.send(c, '{"type":"removed"}', "removed");
        c.socket.close(removedCloseCode, "removed from the Space");
        continue;
      }
      if (fresh || spaceChanged) this.send(c, space, "space");
      if (who === "all" || who.has(c.accountId)) {
        const me = JSON.stringify({
          type: "me",
          me: await this.spaces.standingIn(snapshot, c.accountId),
        });
        if (me !== c.lastMe) {
          c.lastMe = me;
          this.send(c, me, "me");
        }
      }
      if (participant && (participant.role === "host" || participant.role === "cohost")) {
        this.send(c, requests, "requests");
        if (fresh || spaceChanged) this.send(c, recording, "recording");
      }
      if (finished) c.socket.close(spaceFinishedCloseCode, `the Space is ${snapshot.space.state}`);
    }
  }

  /** The Space's recording as its hosts see it. */
  private recordingOf(snapshot: SpaceSnapshot): RecordingStatus {
    const { space } = snapshot;
    if (!space.recording || space.state !== "live") return { state: "off", pausedSince: null };
    const pausedSince = this.pausedRecordings.get(space.id);
    return pausedSince ? { state: "paused", pausedSince } : { state: "on", pausedSince: null };
  }

  /** Tells the Space's hosts and cohosts connected here how its recording goes. */
  private async pushRecording(spaceId: string): Promise<void> {
    if (!this.rooms.has(spaceId)) return;
    const snapshot = await this.spaces.snapshot(spaceId);
    const room = this.rooms.get(spaceId);
    if (!room) return;
    const text = JSON.stringify({ type: "recording", recording: this.recordingOf(snapshot) });
    for (const c of room.connections) {
      const role = snapshot.participants.get(c.accountId);
      if (role && !role.removed && (role.role === "host" || role.role === "cohost")) {
        this.send(c, text, "recording");
      }
    }
  }

  private pushReactions(batch: ReactionBatch): void {
    this.metrics.reactions.inc(batch.total);
    const room = this.rooms.get(batch.spaceId);
    if (!room) return;
    const text = JSON.stringify({
      type: "reactions",
      counts: batch.counts,
      samples: batch.samples,
      total: batch.total,
    });
    for (const c of room.connections) this.send(c, text, "reactions");
  }

  /**
   * Sends the Space's counts to its live clients. Joins, leaves and heartbeats come in bursts;
   * counts go out at most once per throttle window.
   */
  refreshCounts(spaceId: string): void {
    if (this.countTimers.has(spaceId)) return;
    const timer = setTimeout(() => {
      this.countTimers.delete(spaceId);
      const room = this.rooms.get(spaceId);
      if (!room) return;
      void this.spaces
        .snapshot(spaceId)
        .then((snapshot) => {
          const counts = this.spaces.toDocument(snapshot).counts;
          const text = JSON.stringify({ type: "counts", counts });
          for (const c of room.connections) this.send(c, text, "counts");
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
