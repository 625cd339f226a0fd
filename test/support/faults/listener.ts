/**
 * One simulated listener of the fault-injection suite, in-process: joins through the edges
 * (POST /api/spaces/:id/tickets, queue places polled until admitted), heartbeats, and follows
 * the LL-HLS media playlist the way hls.js does in low-latency mode (start PART-HOLD-BACK
 * behind the live edge, then blocking reloads for the next part and the part itself), each
 * request through the edge pool: an edge that fails (network error or 5xx) is left for the
 * next one, and the listener stays on the edge that answered. Records when each part arrived,
 * its content hash and whether it was audible. Never throws; stops when its signal aborts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { withNewestPrefix } from "../../../src/admission/hls-url-prefix.ts";
import {
  type MediaPlaylist,
  nextBlockingReload,
  type PartPosition,
  parseMediaPlaylist,
  partsAfter,
  startingParts,
} from "../../../src/loadtest/listener/media-playlist.ts";
import { AllEdgesFailed, type EdgePool, json } from "./edge-pool.ts";
import { type PartLevels, partHash } from "./part-audio.ts";

export interface PartArrival {
  uri: string;
  msn: number;
  index: number;
  hash: string;
  /** Epoch ms when the body was complete. */
  at: number;
  audible: boolean;
}

export interface ListenerRecord {
  id: number;
  /** Epoch ms the listener started joining. */
  startedAt: number;
  /** Epoch ms of its ticket, or null if never admitted. */
  admittedAt: number | null;
  parts: PartArrival[];
  /** Requests that failed on every edge (playlist, part, heartbeat). */
  errors: number;
  heartbeatsOk: number;
  heartbeatsFailed: number;
  /** Times the listener moved to another edge. */
  edgeSwitches: number;
}

export interface ListenerOptions {
  /** Filled in as the listener goes (newListenerRecord). */
  record: ListenerRecord;
  pool: EdgePool;
  spaceId: string;
  levels: PartLevels;
  signal: AbortSignal;
  /** Every request's outcome (for debugging a run). */
  trace?: (line: string) => void;
}

const epochMs = () => performance.timeOrigin + performance.now();

export function newListenerRecord(id: number): ListenerRecord {
  return {
    id,
    startedAt: epochMs(),
    admittedAt: null,
    parts: [],
    errors: 0,
    heartbeatsOk: 0,
    heartbeatsFailed: 0,
    edgeSwitches: 0,
  };
}

export async function runListener(options: ListenerOptions): Promise<ListenerRecord> {
  const { pool, spaceId, signal, record } = options;
  record.startedAt = epochMs();
  let edge = pool.startIndex();
  const request = async (path: string, init: Parameters<EdgePool["request"]>[1] = {}) => {
    const answer = await pool.request(path, { ...init, signal }, edge).catch((error: Error) => {
      options.trace?.(`${path} -> ${error.message}`);
      throw error;
    });
    options.trace?.(
      `${path} -> ${answer.status} ${answer.edge} ${answer.headers.get("x-cache-status") ?? ""}${answer.status >= 400 ? ` ${answer.body.toString("utf8").slice(0, 120)}` : ""}`,
    );
    const index = pool.edges.indexOf(answer.edge);
    if (index !== edge) {
      edge = index;
      record.edgeSwitches++;
    }
    return answer;
  };

  // Join: a ticket, or a place in line polled (as told by Retry-After) until admitted.
  let ticket: string | null = null;
  let heartbeatSeconds = 30;
  // The signed prefix of the audio: from the ticket, then the newest heartbeat's.
  let prefix = "";
  let queueToken: string | undefined;
  while (!ticket && !signal.aborted) {
    try {
      const answer = await request(`/api/spaces/${spaceId}/tickets`, {
        method: "POST",
        body: queueToken ? { queueToken } : {},
      });
      const body = json(answer);
      if (answer.status === 200) {
        ticket = body.ticket;
        heartbeatSeconds = body.heartbeatSeconds ?? 30;
        prefix = String(body.playlistUrl).replace(/index\.m3u8$/, "");
        record.admittedAt = epochMs();
        break;
      }
      if (answer.status === 202) queueToken = body.queue?.token ?? undefined;
      else record.errors++;
      await sleep(Math.min(2, body?.retryAfter ?? 1) * 1000, undefined, { signal }).catch(() => {});
    } catch {
      record.errors++;
      await sleep(500, undefined, { signal }).catch(() => {});
    }
  }

  const heartbeats = (async () => {
    while (!signal.aborted) {
      await sleep(heartbeatSeconds * 1000, undefined, { signal }).catch(() => {});
      if (signal.aborted || !ticket) break;
      try {
        const answer = await request(`/api/spaces/${spaceId}/heartbeat`, {
          method: "POST",
          body: { ticket },
        });
        if (answer.status === 200) {
          record.heartbeatsOk++;
          ticket = json(answer).ticket ?? ticket;
          prefix = withNewestPrefix(prefix, json(answer).playlistUrl);
        } else record.heartbeatsFailed++;
      } catch {
        record.heartbeatsFailed++;
      }
    }
  })();

  let playlist: MediaPlaylist | undefined;
  let last: PartPosition | undefined;
  let failures = 0;
  while (!signal.aborted && ticket) {
    try {
      const base = `${prefix}live.m3u8`;
      let path = base;
      if (playlist?.canBlockReload && last) {
        const want = nextBlockingReload(playlist, last);
        path = `${base}?_HLS_msn=${want.msn}&_HLS_part=${want.index}`;
      }
      const answer = await request(path, { timeoutMs: 8_000 });
      if (answer.status !== 200) throw new Error(`playlist ${answer.status}`);
      playlist = parseMediaPlaylist(answer.body.toString("utf8"));
      const todo = last ? partsAfter(playlist, last) : startingParts(playlist);
      for (const part of todo) {
        const media = await request(`${prefix}${part.uri}`, { timeoutMs: 8_000 });
        if (media.status !== 200) throw new Error(`part ${media.status}`);
        const hash = partHash(media.body);
        record.parts.push({
          uri: part.uri,
          msn: part.msn,
          index: part.index,
          hash,
          at: epochMs(),
          audible: options.levels.audible(hash, media.body),
        });
        last = part;
      }
      failures = 0;
      if (playlist.ended) break;
      if (!playlist.canBlockReload || !last || todo.length === 0) {
        await sleep((playlist.partTarget ?? 0.5) * 1000, undefined, { signal }).catch(() => {});
      }
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof AllEdgesFailed || error instanceof Error) record.errors++;
      failures++;
      // Start again from a plain playlist: the stream may have moved (another media node).
      playlist = undefined;
      await sleep(Math.min(250 * failures, 1_000), undefined, { signal }).catch(() => {});
    }
  }
  await heartbeats;
  return record;
}
