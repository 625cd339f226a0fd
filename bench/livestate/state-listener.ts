/**
 * One anonymous listener as the web app is one, live state included: read the Space document
 * (its `version`), ask for a ticket, follow the LL-HLS playlist like hls.js in low-latency
 * mode, heartbeat with the ticket, and read the cues each part carries; when a cue announces
 * a document version other than the one held, read `/api/spaces/:id?v=VERSION` once (what
 * SpacePage does). Every request goes through `dispatcher` (its own source address), so the
 * edge's access log tells this listener's requests apart.
 */
import { createHash } from "node:crypto";
import type { Dispatcher } from "undici";
import { type HttpAnswer, httpCall } from "../../src/loadtest/journey/http-call.ts";
import {
  classifyHeartbeatAnswer,
  classifyTicketAnswer,
} from "../../src/loadtest/journey/ticket-answer.ts";
import { followHls } from "../../src/loadtest/listener/hls-follower.ts";
import { partCues, partKey } from "./part-cues.ts";

export interface ListenerRecord {
  /** Each part received: its SHA-1 (hex), by "msn.part", in arrival order. */
  parts: Map<string, string>;
  /** Epoch ms of the first part, or null. */
  firstPartAt: number | null;
  /** Versions read with `?v=` (announced by a cue), in order. */
  versionsRead: string[];
  heartbeats: number;
  /** HTTP and network errors of the player (counted by the follower). */
  hlsErrors: number;
  errors: string[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

export async function runStateListener(options: {
  edgeUrl: string;
  spaceId: string;
  dispatcher: Dispatcher;
  signal: AbortSignal;
}): Promise<ListenerRecord> {
  const { dispatcher, signal } = options;
  const record: ListenerRecord = {
    parts: new Map(),
    firstPartAt: null,
    versionsRead: [],
    heartbeats: 0,
    hlsErrors: 0,
    errors: [],
  };
  const api = (suffix: string) =>
    new URL(`/api/spaces/${encodeURIComponent(options.spaceId)}${suffix}`, options.edgeUrl);
  const call = async (
    suffix: string,
    method: "GET" | "POST",
    body?: unknown,
  ): Promise<HttpAnswer | null> => {
    try {
      return await httpCall(dispatcher, api(suffix), { method, body, signal });
    } catch (error) {
      if (!signal.aborted) record.errors.push(`${method} ${suffix}: ${String(error)}`);
      return null;
    }
  };

  const doc = await call("", "GET");
  let held = (doc?.body as { space?: { version?: string } } | undefined)?.space?.version;
  if (doc?.status !== 200 || !held) {
    record.errors.push(`document ${doc?.status}`);
    return record;
  }
  const answer = await call("/tickets", "POST", {});
  const ticket = answer ? classifyTicketAnswer(answer, Date.now()) : null;
  if (ticket?.kind !== "ticket") {
    record.errors.push(`ticket ${answer?.status} ${JSON.stringify(answer?.body)}`);
    return record;
  }

  const readVersion = async (version: string) => {
    record.versionsRead.push(version);
    const got = await call(`?v=${encodeURIComponent(version)}`, "GET");
    const v = (got?.body as { space?: { version?: string } } | undefined)?.space?.version;
    if (got?.status === 200 && v) held = v;
    else record.errors.push(`document ?v= ${got?.status}`);
  };

  // Heartbeats hand out the playlist of each new window; the player moves to it.
  let newestPlaylist = ticket.playlistUrl;
  const heartbeats = (async () => {
    let current = ticket.ticket;
    let interval = ticket.heartbeatSeconds;
    while (!signal.aborted) {
      await sleep(interval * 1000, signal);
      if (signal.aborted) break;
      const beat = await call("/heartbeat", "POST", { ticket: current });
      if (!beat) continue;
      const meaning = classifyHeartbeatAnswer(beat, Date.now());
      if (meaning.kind === "renewed") {
        record.heartbeats++;
        current = meaning.ticket;
        interval = meaning.heartbeatSeconds;
        if (meaning.playlistUrl) newestPlaylist = meaning.playlistUrl;
      } else record.errors.push(`heartbeat ${beat.status}`);
    }
  })();

  const played = await followHls({
    playlistUrl: new URL(ticket.playlistUrl, options.edgeUrl).href,
    newestPlaylistUrl: () => newestPlaylist,
    dispatcher,
    signal,
    bodies: true,
    onPart: (p) => {
      const body = p.body as Buffer;
      record.firstPartAt ??= p.at;
      record.parts.set(partKey(p.msn, p.part), createHash("sha1").update(body).digest("hex"));
      for (const { cue } of partCues(body)) {
        // Asked at most once per announced version, as the page's effect does.
        if (cue.stage && cue.stage !== held && !record.versionsRead.includes(cue.stage)) {
          held = cue.stage;
          void readVersion(cue.stage);
        }
      }
    },
  });
  record.hlsErrors = played.errors;
  await heartbeats;
  return record;
}
