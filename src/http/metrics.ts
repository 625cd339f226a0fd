import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** The process's Prometheus metrics, served at /metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: "amphi_http_request_duration_seconds",
    help: "HTTP request duration by route, method and status class",
    labelNames: ["route", "method", "status"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly liveConnections = new Gauge({
    name: "amphi_live_connections",
    help: "Open live-state WebSocket connections",
    registers: [this.registry],
  });
  readonly liveMessages = new Counter({
    name: "amphi_live_messages_total",
    help: "Messages pushed to live-state WebSocket clients",
    labelNames: ["type"],
    registers: [this.registry],
  });
  /**
   * Requests reaching the LL-HLS origin, by what they asked for: with caching edges in front,
   * this stays near one request per part per edge however many listeners there are.
   */
  readonly hlsRequests = new Counter<"kind">({
    name: "amphi_hls_requests_total",
    help: "LL-HLS requests reaching this origin, by kind",
    labelNames: ["kind"],
    registers: [this.registry],
  });
  readonly reactions = new Counter({
    name: "amphi_reactions_total",
    help: "Reactions accepted",
    registers: [this.registry],
  });
  /**
   * Recordings (docs/operations.md, "Recording paused"): a write that failed (full disk,
   * database away) is retried with backoff while the live audio goes on; the recording is
   * "paused" until a write succeeds again.
   */
  readonly recordingWriteFailures = new Counter({
    name: "amphi_recording_write_failures_total",
    help: "Recording writes (init or part) that failed and will be retried",
    registers: [this.registry],
  });
  readonly recordingPauses = new Counter({
    name: "amphi_recording_pauses_total",
    help: "Times a live Space's recording paused because writes failed",
    registers: [this.registry],
  });
  readonly recordingPartsDropped = new Counter({
    name: "amphi_recording_parts_dropped_total",
    help: "Live parts left out of a recording (an outage longer than RECORDING_BUFFER_SECONDS)",
    registers: [this.registry],
  });
  private pausedRecordings: () => number = () => 0;
  readonly recordingPaused: Gauge = new Gauge({
    name: "amphi_recording_paused",
    help: "Live Spaces on this node whose recording is paused now (writes failing)",
    registers: [this.registry],
    collect: (): void => this.recordingPaused.set(this.pausedRecordings()),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "amphi_" });
  }

  /** Where the paused-recordings gauge reads its value (the media plane's rooms). */
  countPausedRecordings(count: () => number): void {
    this.pausedRecordings = count;
  }

  /** Times every request by its route pattern (never by raw URL, to keep label sets small). */
  instrument(app: FastifyInstance): void {
    // A callback hook: it never waits, so it need not cost a promise per request.
    app.addHook("onResponse", (request, reply, done) => {
      const route = request.routeOptions.url ?? "unmatched";
      this.httpDuration
        .labels(route, request.method, `${Math.floor(reply.statusCode / 100)}xx`)
        .observe(reply.elapsedTime / 1000);
      done();
    });
  }
}
