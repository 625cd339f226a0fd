import type { Dispatcher } from "undici";
import { solveAltcha } from "./journey/altcha-solver.ts";
import { instrumentHls } from "./journey/hls-instrumentation.ts";
import {
  Aborted,
  answerKey,
  type HttpAnswer,
  httpCall,
  NetworkFailure,
} from "./journey/http-call.ts";
import { resolveAgainst } from "./journey/resolve-url.ts";
import { retryAfterSeconds } from "./journey/retry-after.ts";
import { sleep } from "./journey/sleep.ts";
import { classifyHeartbeatAnswer, classifyTicketAnswer } from "./journey/ticket-answer.ts";
import type { HlsFollowOptions, HlsFollowStats } from "./listener/hls-follower.ts";
import type { StatsRecorder } from "./stats/stats-recorder.ts";
import type { Outcome } from "./stats/stats-types.ts";

/** How a listener plays the live stream: the LL-HLS follower, injected so tests can replace it. */
export type FollowLive = (options: HlsFollowOptions) => Promise<HlsFollowStats>;

export interface JourneyContext {
  /** Any Amphi URL (origin or edge); API and playlist paths are resolved against it. */
  target: URL;
  spaceId: string;
  /** This client's connection pool (its own source address). */
  dispatcher: Dispatcher;
  follow: FollowLive;
  stats: StatsRecorder;
  /** Fires when the scenario ends: every wait and request stops. */
  signal: AbortSignal;
  /** Heartbeat interval forced by the load test, or null to use the server's. */
  heartbeatSeconds: number | null;
}

/** What happened to one listener. */
export interface ClientRecord {
  outcome: Outcome;
  /** The answer that ended the journey in error ("404 AMPHI_SPACE_NOT_FOUND", "network ECONNREFUSED"...). */
  failure: string | null;
  arrivalToTicketMs: number | null;
  arrivalToFirstPartMs: number | null;
  queuedMs: number | null;
  /** Queue positions announced to this listener, in order (at most 20 kept). */
  positionsSeen: number[];
  /** Error keys this listener met, in order (at most 20 kept). */
  errors: string[];
  challengesSolved: number;
}

/** Consecutive failures (5xx other than 503 OVERLOADED, network, non-contract) before giving up. */
const maxConsecutiveFailures = 5;
/** Challenges in a row the server may refuse before the listener gives up. */
const maxChallengesInARow = 5;

class JourneyEnded extends Error {}

/**
 * One listener's journey, as the web app does it: read the Space document, ask for a ticket
 * (waiting in the queue on 202, solving the proof-of-work on 428, honouring Retry-After on
 * 429/503), follow the live LL-HLS playlist, and heartbeat with the renewed ticket until the
 * scenario ends. Figures go to `stats`; the returned record says how it went. Never throws.
 */
export async function runListenerJourney(ctx: JourneyContext): Promise<ClientRecord> {
  return new ListenerJourney(ctx).run();
}

class ListenerJourney {
  private readonly arrivedAt = performance.now();
  private readonly record: ClientRecord = {
    outcome: "still-queued",
    failure: null,
    arrivalToTicketMs: null,
    arrivalToFirstPartMs: null,
    queuedMs: null,
    positionsSeen: [],
    errors: [],
    challengesSolved: 0,
  };
  private queuedSince: number | null = null;
  private failuresInARow = 0;
  private lastError = "error";
  /** The client's pool, with the player's requests timed and checked. */
  private readonly dispatcher: Dispatcher;

  constructor(private readonly ctx: JourneyContext) {
    this.dispatcher = instrumentHls(ctx.dispatcher, {
      playlist: (ms) => ctx.stats.latency("playlist", ms),
      error: (key) => this.noteError(key),
    });
  }

  async run(): Promise<ClientRecord> {
    const { stats } = this.ctx;
    stats.count("arrivals");
    try {
      await this.readSpaceDocument();
      const admission = await this.obtainTicket(true);
      await this.listen(admission);
    } catch (error) {
      if (!(error instanceof JourneyEnded || error instanceof Aborted)) {
        this.fail(`loadtest ${error instanceof Error ? error.message : String(error)}`);
      }
    } finally {
      this.leaveQueue();
    }
    if (this.record.outcome === "still-queued" && this.failuresInARow > 0) {
      // The run ended while this listener was retrying after failures: that is a failure.
      this.record.outcome = "error";
      this.record.failure = this.lastError;
    }
    stats.outcome(this.record.outcome);
    if (this.record.errors.length > 0) stats.count("listenersWithErrors");
    return this.record;
  }

  private url(path: string): URL {
    return resolveAgainst(this.ctx.target, path);
  }

  private apiPath(suffix = ""): URL {
    return this.url(`api/spaces/${encodeURIComponent(this.ctx.spaceId)}${suffix}`);
  }

  private async call(url: URL, method: "GET" | "POST", body?: unknown): Promise<HttpAnswer | null> {
    try {
      return await httpCall(this.dispatcher, url, { method, body, signal: this.ctx.signal });
    } catch (error) {
      if (error instanceof NetworkFailure) {
        this.noteError(`network ${error.reason}`);
        return null;
      }
      throw error;
    }
  }

  private noteError(key: string): void {
    this.ctx.stats.error(key);
    this.lastError = key;
    if (this.record.errors.length < 20) this.record.errors.push(key);
  }

  /** A failure that may pass: wait and retry, unless there have been too many in a row. */
  private async afterFailure(key: string, waitSeconds: number): Promise<void> {
    this.failuresInARow++;
    if (this.failuresInARow >= maxConsecutiveFailures) this.fail(key);
    if (!(await sleep(waitSeconds, this.ctx.signal))) throw new JourneyEnded();
  }

  private fail(key: string): never {
    this.record.outcome = "error";
    this.record.failure = key;
    throw new JourneyEnded();
  }

  private async wait(seconds: number): Promise<void> {
    if (!(await sleep(seconds, this.ctx.signal))) throw new JourneyEnded();
  }

  private async readSpaceDocument(): Promise<void> {
    for (;;) {
      const answer = await this.call(this.apiPath(), "GET");
      if (!answer) {
        await this.afterFailure(this.lastError, 1);
        continue;
      }
      this.ctx.stats.latency("document", answer.ms);
      if (answer.status === 200 || answer.status === 304) {
        this.failuresInARow = 0;
        return;
      }
      if (answer.status === 429) {
        this.ctx.stats.count("rateLimitedAnswers");
        await this.wait(retryAfter(answer));
        continue;
      }
      const key = answerKey(answer);
      this.noteError(key);
      if (answer.status >= 500) await this.afterFailure(key, retryAfter(answer));
      else this.fail(key);
    }
  }

  /**
   * Asks for a ticket until one comes, the journey fails, or the scenario ends.
   * `first`: the arrival's admission (counted), not a renewal after a refused heartbeat.
   */
  private async obtainTicket(
    first: boolean,
  ): Promise<{ ticket: string; playlistUrl: string; heartbeatSeconds: number }> {
    const { stats } = this.ctx;
    let queueToken: string | undefined;
    let altcha: string | undefined;
    let challengesInARow = 0;
    for (;;) {
      const body: Record<string, string> = {};
      if (queueToken) body.queueToken = queueToken;
      if (altcha) body.altcha = altcha;
      altcha = undefined;
      const answer = await this.call(this.apiPath("/tickets"), "POST", body);
      if (!answer) {
        await this.afterFailure(this.lastError, 1);
        continue;
      }
      stats.latency("ticketRequest", answer.ms);
      const meaning = classifyTicketAnswer(answer, Date.now());
      switch (meaning.kind) {
        case "ticket": {
          this.failuresInARow = 0;
          const now = performance.now();
          if (first) {
            stats.count("admitted");
            stats.latency("ticket", now - this.arrivedAt);
            this.record.arrivalToTicketMs = now - this.arrivedAt;
            this.record.outcome = this.queuedSince === null ? "admitted" : "queued-then-admitted";
            if (this.queuedSince !== null) {
              this.record.queuedMs = now - this.queuedSince;
              stats.latency("timeQueued", now - this.queuedSince);
            }
          }
          this.leaveQueue();
          return meaning;
        }
        case "queued":
          this.failuresInARow = 0;
          stats.count("queuedAnswers");
          if (this.queuedSince === null && first) {
            this.queuedSince = performance.now();
            stats.count("queueEntered");
            stats.value("queuePosition", meaning.position);
          }
          if (this.record.positionsSeen.length < 20)
            this.record.positionsSeen.push(meaning.position);
          queueToken = meaning.token ?? queueToken;
          await this.wait(meaning.retryAfterSeconds);
          break;
        case "challenge": {
          this.failuresInARow = 0;
          stats.count("challengeAnswers");
          challengesInARow++;
          if (challengesInARow > maxChallengesInARow) {
            this.noteError("428 challenge solutions refused");
            this.fail("428 challenge solutions refused");
          }
          altcha = await this.solveChallenge();
          break;
        }
        case "rate-limited":
          this.failuresInARow = 0;
          stats.count("rateLimitedAnswers");
          await this.wait(meaning.retryAfterSeconds);
          break;
        case "overloaded":
          // A 5xx, so an error, but one that says when to come back: keep coming back.
          stats.count("overloadedAnswers");
          this.noteError(meaning.key);
          await this.wait(meaning.retryAfterSeconds);
          break;
        case "refused":
          this.noteError(meaning.key);
          this.fail(meaning.key);
          break;
        case "error":
          this.noteError(meaning.key);
          await this.afterFailure(meaning.key, meaning.retryAfterSeconds);
          break;
      }
    }
  }

  private async solveChallenge(): Promise<string | undefined> {
    for (;;) {
      const answer = await this.call(this.apiPath("/challenge"), "GET");
      if (!answer) {
        await this.afterFailure(this.lastError, 1);
        continue;
      }
      if (answer.status !== 200) {
        const key = answerKey(answer);
        this.noteError(`challenge ${key}`);
        await this.afterFailure(key, retryAfter(answer));
        continue;
      }
      const started = performance.now();
      try {
        const payload = await solveAltcha(answer.body, this.ctx.signal);
        this.ctx.stats.latency("challengeSolve", performance.now() - started);
        this.ctx.stats.count("challengesSolved");
        this.record.challengesSolved++;
        return payload;
      } catch (error) {
        if (this.ctx.signal.aborted) throw new JourneyEnded();
        const key = `challenge unsolvable: ${error instanceof Error ? error.message : String(error)}`;
        this.noteError(key);
        this.fail(key);
      }
    }
  }

  private leaveQueue(): void {
    if (this.queuedSince !== null) {
      this.ctx.stats.count("queueLeft");
      this.queuedSince = null;
    }
  }

  /** Plays the live stream and heartbeats until the scenario ends or the stream does. */
  private async listen(admission: {
    ticket: string;
    playlistUrl: string;
    heartbeatSeconds: number;
  }): Promise<void> {
    const { stats, signal } = this.ctx;
    const listening = new AbortController();
    const stop = () => listening.abort();
    signal.addEventListener("abort", stop, { once: true });
    stats.count("listeningStarted");
    let firstPart = true;
    // Heartbeats hand out the playlist of each new window; the player moves to it.
    const newest = { playlistUrl: admission.playlistUrl };
    const following = this.ctx
      .follow({
        playlistUrl: this.url(admission.playlistUrl).href,
        newestPlaylistUrl: () => newest.playlistUrl,
        dispatcher: this.dispatcher,
        signal: listening.signal,
        onPart: () => {
          stats.count("parts");
          if (firstPart) {
            firstPart = false;
            const ms = performance.now() - this.arrivedAt;
            stats.latency("firstPart", ms);
            this.record.arrivalToFirstPartMs = ms;
          }
        },
      })
      .then((played) => {
        // HTTP errors were counted as they happened (instrumentHls); here, how playback went.
        stats.count("stalls", played.stalls);
        if (played.parts > 0 && !played.keepingUp) stats.count("listenersFallingBehind");
      })
      .catch((error: unknown) => {
        if (!listening.signal.aborted) {
          this.noteError(`hls player: ${error instanceof Error ? error.message : String(error)}`);
        }
      })
      // The stream ended (or the player gave up): no point heartbeating on.
      .finally(stop);
    try {
      await this.heartbeat(admission, listening.signal, (url) => {
        newest.playlistUrl = url;
      });
    } finally {
      stop();
      await following;
      signal.removeEventListener("abort", stop);
      stats.count("listeningStopped");
    }
  }

  private async heartbeat(
    admission: { ticket: string; heartbeatSeconds: number },
    until: AbortSignal,
    onPlaylist: (url: string) => void,
  ): Promise<void> {
    const { stats } = this.ctx;
    let ticket = admission.ticket;
    let interval = this.ctx.heartbeatSeconds ?? admission.heartbeatSeconds;
    let next = interval;
    for (;;) {
      if (!(await sleep(next, until))) return;
      next = interval;
      let answer: HttpAnswer | null;
      try {
        answer = await httpCall(this.dispatcher, this.apiPath("/heartbeat"), {
          method: "POST",
          body: { ticket },
          signal: until,
        });
      } catch (error) {
        if (error instanceof Aborted) return;
        if (error instanceof NetworkFailure) {
          this.noteError(`heartbeat network ${error.reason}`);
          continue;
        }
        throw error;
      }
      stats.latency("heartbeat", answer.ms);
      const meaning = classifyHeartbeatAnswer(answer, Date.now());
      switch (meaning.kind) {
        case "renewed":
          stats.count("heartbeats");
          ticket = meaning.ticket;
          if (meaning.playlistUrl) onPlaylist(meaning.playlistUrl);
          interval = this.ctx.heartbeatSeconds ?? meaning.heartbeatSeconds;
          next = interval;
          break;
        case "ticket-invalid": {
          stats.count("ticketsReinstated");
          const renewed = await this.obtainTicket(false);
          ticket = renewed.ticket;
          onPlaylist(renewed.playlistUrl);
          break;
        }
        case "rate-limited":
          stats.count("rateLimitedAnswers");
          next = meaning.retryAfterSeconds;
          break;
        case "error":
          this.noteError(`heartbeat ${meaning.key}`);
          next = Math.min(interval, meaning.retryAfterSeconds);
          break;
      }
    }
  }
}

const retryAfter = (answer: HttpAnswer): number =>
  retryAfterSeconds(answer.headers, answer.body, 1, Date.now());
