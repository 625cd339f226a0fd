/**
 * "No finished recording part lost": after the Space ended, every part a listener received
 * while it was live must be in the replay (GET /api/spaces/:id/recording, then its VOD
 * playlist /recordings/:id/vod.m3u8) under the same name with the same bytes (sha1).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ListenerRecord } from "./listener.ts";
import { partHash } from "./part-audio.ts";

export interface RecordingCheck {
  /** Distinct parts listeners received. */
  partsReceived: number;
  /** Parts in the replay playlist. */
  partsInReplay: number;
  /** Received parts missing from the replay or different there, with when first received. */
  lost: { uri: string; at: number; why: "missing" | "different" }[];
  /** Why the replay could not be read, if it could not. */
  error: string | null;
}

export async function checkRecording(
  base: string,
  spaceId: string,
  listeners: readonly ListenerRecord[],
): Promise<RecordingCheck> {
  const received = new Map<string, { hash: string; at: number }>();
  for (const listener of listeners) {
    for (const part of listener.parts) {
      const seen = received.get(part.uri);
      if (!seen || part.at < seen.at) received.set(part.uri, { hash: part.hash, at: part.at });
    }
  }
  const all = (why: "missing") =>
    [...received].map(([uri, { at }]) => ({ uri, at, why }) as RecordingCheck["lost"][number]);
  // The replay exists once the Space is ended (a few seconds at most on a busy machine).
  let info: Response | null = null;
  for (let i = 0; i < 30; i++) {
    info = await fetch(`${base}/api/spaces/${spaceId}/recording`).catch(() => null);
    if (info?.status === 200) break;
    await sleep(1_000);
  }
  if (info?.status !== 200) {
    return {
      partsReceived: received.size,
      partsInReplay: 0,
      lost: all("missing"),
      error: `GET recording: ${info?.status ?? "network"} ${await info?.text().catch(() => "")}`,
    };
  }
  const playlist = await (await fetch(`${base}/recordings/${spaceId}/vod.m3u8`)).text();
  const inReplay = new Set(playlist.split("\n").filter((line) => /^part-\d+-\d+\.m4s$/.test(line)));
  const lost: RecordingCheck["lost"] = [];
  for (const [uri, { hash, at }] of received) {
    if (!inReplay.has(uri)) {
      lost.push({ uri, at, why: "missing" });
      continue;
    }
    const res = await fetch(`${base}/recordings/${spaceId}/${uri}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 || partHash(bytes) !== hash) lost.push({ uri, at, why: "different" });
  }
  return { partsReceived: received.size, partsInReplay: inReplay.size, lost, error: null };
}
