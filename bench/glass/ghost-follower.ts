/**
 * Background listeners for the glass benchmark: in-process LL-HLS followers that ask an edge
 * for what hls.js in low-latency mode asks (a blocking reload for the next part, then the
 * part), so that the measured Chromium listener shares each cache entry with others, as on a
 * real edge: most of the time its request is not the one that goes to the origin but one of
 * those waiting for it (nginx's proxy_cache_lock).
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  type MediaPlaylist,
  nextBlockingReload,
  type PartPosition,
  parseMediaPlaylist,
  partsAfter,
  startingParts,
} from "../../src/loadtest/listener/media-playlist.ts";
import { longLivedHlsPath } from "../../test/support/signed-hls.ts";

export interface Ghosts {
  /** Every part any follower received: its URI and when its body was complete (epoch ms). */
  readonly arrivals: { uri: string; at: number }[];
  readonly errors: () => number;
  stop(): Promise<void>;
}

export function startGhostFollowers(base: string, spaceId: string, count: number): Ghosts {
  let stopped = false;
  const arrivals: { uri: string; at: number }[] = [];
  let errors = 0;
  const follow = async () => {
    const url = `${base}${longLivedHlsPath(spaceId, "live.m3u8")}`;
    let playlist: MediaPlaylist | undefined;
    let last: PartPosition | undefined;
    while (!stopped) {
      try {
        let path = url;
        if (playlist?.canBlockReload && last) {
          const want = nextBlockingReload(playlist, last);
          path = `${url}?_HLS_msn=${want.msn}&_HLS_part=${want.index}`;
        }
        const answer = await fetch(path, { signal: AbortSignal.timeout(10_000) });
        if (answer.status !== 200) throw new Error(`playlist ${answer.status}`);
        playlist = parseMediaPlaylist(await answer.text());
        const todo = last ? partsAfter(playlist, last) : startingParts(playlist);
        for (const part of todo) {
          const media = await fetch(`${base}${longLivedHlsPath(spaceId, part.uri)}`, {
            signal: AbortSignal.timeout(10_000),
          });
          if (media.status !== 200) throw new Error(`part ${media.status}`);
          await media.arrayBuffer();
          arrivals.push({ uri: part.uri, at: Date.now() });
          last = part;
        }
        if (!playlist.canBlockReload || todo.length === 0) await sleep(100);
      } catch {
        if (stopped) break;
        errors++;
        playlist = undefined;
        last = undefined;
        await sleep(250);
      }
    }
  };
  const running = Array.from({ length: count }, (_, i) =>
    // Spread the starts over a second: listeners do not arrive in step.
    sleep(i * (1000 / Math.max(1, count))).then(follow),
  );
  return {
    arrivals,
    errors: () => errors,
    /** Stops following; a request still held by the origin ends with the servers. */
    stop: async () => {
      stopped = true;
      await Promise.race([Promise.allSettled(running), sleep(1_000)]);
    },
  };
}
