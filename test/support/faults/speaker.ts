/**
 * The host speaking in the fault-injection suite: a werift WHIP publisher sending a 440 Hz
 * tone (test/support/whip-client.ts) to the live Space, through the edges (WHIP POST with the
 * host's bearer token, next edge on a network error or 5xx). It reconnects as a browser would
 * when its connection is lost: when the connection fails or closes, or when no RTCP has come
 * back from the media node for `silenceMs` (the server's receiver reports arrive every
 * 0.5-1.5 s; a browser calls a connection "disconnected" after ~5 s without consent). Then it
 * POSTs a new offer every 500 ms until one is answered.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  type Signal,
  startTonePublisher,
  type TonePublisher,
  WhipHttpError,
} from "../whip-client.ts";
import type { EdgePool } from "./edge-pool.ts";

export interface SpeakerEvents {
  /** Epoch ms of each (re)connection, the first one included. */
  connectedAt: number[];
  /** Epoch ms each time the speaker saw its connection as lost. */
  lostAt: number[];
  /** Failed WHIP attempts while (re)connecting. */
  failedAttempts: number;
  /** The last failure, for reports. */
  lastError: string | null;
}

export interface Speaker {
  readonly events: SpeakerEvents;
  stop(): Promise<void>;
}

const epochMs = () => performance.timeOrigin + performance.now();

/** WHIP over HTTP through the edge pool. */
function edgeWhipSignal(pool: EdgePool, spaceId: string, token: string): Signal {
  return async (offerSdp) => {
    const answer = await pool.request(
      `/whip/${spaceId}`,
      {
        method: "POST",
        body: offerSdp,
        token,
        headers: { "content-type": "application/sdp" },
        timeoutMs: 10_000,
      },
      0,
    );
    const body = answer.body.toString("utf8");
    if (answer.status !== 201) throw new WhipHttpError(answer.status, body);
    const location = answer.headers.get("location");
    if (!location) throw new Error("The 201 has no Location.");
    return {
      answerSdp: body,
      sessionUrl: new URL(location, answer.edge).toString(),
      end: async () => {
        await pool.request(location, { method: "DELETE", token, timeoutMs: 3_000 }).catch(() => {});
      },
    };
  };
}

export async function startSpeaker(options: {
  pool: EdgePool;
  spaceId: string;
  token: string;
  silenceMs?: number;
}): Promise<Speaker> {
  const silenceMs = options.silenceMs ?? 3_000;
  const events: SpeakerEvents = { connectedAt: [], lostAt: [], failedAttempts: 0, lastError: null };
  const signal = edgeWhipSignal(options.pool, options.spaceId, options.token);
  let stopped = false;
  let publisher: TonePublisher | undefined;
  let lastRtcp = 0;

  const connect = async (): Promise<void> => {
    while (!stopped) {
      try {
        const next = await startTonePublisher({ frequency: 440, signal, connectTimeoutMs: 8_000 });
        if (stopped) {
          await next.stop();
          return;
        }
        publisher = next;
        lastRtcp = epochMs();
        for (const transceiver of next.pc.getTransceivers()) {
          transceiver.sender.onRtcp.subscribe(() => {
            if (publisher === next) lastRtcp = epochMs();
          });
        }
        events.connectedAt.push(epochMs());
        return;
      } catch (error) {
        events.failedAttempts++;
        events.lastError = (error as Error).message;
        await sleep(500);
      }
    }
  };

  await connect();
  if (!publisher) throw new Error(`the speaker could not connect: ${events.lastError}`);

  const watchdog = (async () => {
    while (!stopped) {
      await sleep(250);
      const current = publisher;
      if (stopped || !current) continue;
      const state = current.pc.connectionState;
      const lost = state === "failed" || state === "closed" || epochMs() - lastRtcp > silenceMs;
      if (!lost) continue;
      events.lostAt.push(epochMs());
      publisher = undefined;
      await current.stop({ end: false }).catch(() => {});
      await connect();
    }
  })();

  return {
    events,
    stop: async () => {
      stopped = true;
      await watchdog;
      await publisher?.stop().catch(() => {});
    },
  };
}
