/**
 * What a low-latency HLS listener reads from playlists (RFC 8216bis), and where it goes next.
 * Pure: text in, plain data out. Only the tags a live audio player needs are read.
 */

export interface ListedPart {
  /** Media Sequence Number of the segment the part belongs to. */
  readonly msn: number;
  /** Position of the part within its segment, from 0. */
  readonly index: number;
  readonly uri: string;
  /** Seconds. */
  readonly duration: number;
}

export interface MediaPlaylist {
  readonly targetDuration: number;
  readonly partTarget: number | undefined;
  readonly partHoldBack: number | undefined;
  readonly canBlockReload: boolean;
  readonly mediaSequence: number;
  readonly mapUri: string | undefined;
  /** Msns of the complete segments (those with EXTINF), oldest first. */
  readonly completeSegments: readonly number[];
  /** Every listed part, oldest first. */
  readonly parts: readonly ListedPart[];
  readonly preloadHint: string | undefined;
  readonly ended: boolean;
}

/** One attribute of a tag's attribute-list (§4.2), quotes removed: indexOf, no regex. */
function attribute(list: string, key: string): string | undefined {
  let at = 0;
  while (at < list.length) {
    const eq = list.indexOf("=", at);
    if (eq < 0) return undefined;
    const quoted = list.charCodeAt(eq + 1) === 34; // "
    const close = quoted ? list.indexOf('"', eq + 2) : list.indexOf(",", eq + 1);
    const end = close < 0 ? list.length : close;
    if (list.slice(at, eq) === key) return list.slice(quoted ? eq + 2 : eq + 1, end);
    at = (quoted ? end + 1 : end) + 1;
  }
  return undefined;
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function isMultivariantPlaylist(text: string): boolean {
  return text.includes("#EXT-X-STREAM-INF");
}

/** The URI of the first variant of a multivariant playlist (§4.4.6.2), if any. */
export function firstVariantUri(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => line.startsWith("#EXT-X-STREAM-INF:"));
  if (at < 0) return undefined;
  return lines.slice(at + 1).find((line) => line.trim() !== "" && !line.startsWith("#"));
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== "#EXTM3U") throw new Error("not a playlist: no #EXTM3U");
  let targetDuration: number | undefined;
  let partTarget: number | undefined;
  let partHoldBack: number | undefined;
  let canBlockReload = false;
  let mediaSequence = 0;
  let mapUri: string | undefined;
  let preloadHint: string | undefined;
  let ended = false;
  const completeSegments: number[] = [];
  const parts: ListedPart[] = [];
  // Parts seen since the last EXTINF: they belong to the next segment in the list.
  let pending: { uri: string; duration: number }[] = [];
  let awaitingUri = false;
  const flush = (msn: number) => {
    parts.push(...pending.map((p, index) => ({ msn, index, uri: p.uri, duration: p.duration })));
    pending = [];
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1);
    if (!line.startsWith("#")) {
      if (awaitingUri) {
        const msn = mediaSequence + completeSegments.length;
        flush(msn);
        completeSegments.push(msn);
        awaitingUri = false;
      }
      continue;
    }
    switch (name) {
      case "#EXT-X-TARGETDURATION":
        targetDuration = number(value);
        break;
      case "#EXT-X-MEDIA-SEQUENCE":
        mediaSequence = number(value) ?? 0;
        break;
      case "#EXT-X-SERVER-CONTROL":
        canBlockReload = attribute(value, "CAN-BLOCK-RELOAD") === "YES";
        partHoldBack = number(attribute(value, "PART-HOLD-BACK"));
        break;
      case "#EXT-X-PART-INF":
        partTarget = number(attribute(value, "PART-TARGET"));
        break;
      case "#EXT-X-MAP":
        mapUri = attribute(value, "URI");
        break;
      case "#EXT-X-PART": {
        const uri = attribute(value, "URI");
        const duration = number(attribute(value, "DURATION"));
        if (uri && duration !== undefined) pending.push({ uri, duration });
        break;
      }
      case "#EXTINF":
        awaitingUri = true;
        break;
      case "#EXT-X-PRELOAD-HINT":
        if (attribute(value, "TYPE") === "PART") preloadHint = attribute(value, "URI");
        break;
      case "#EXT-X-ENDLIST":
        ended = true;
        break;
    }
  }
  flush(mediaSequence + completeSegments.length);
  if (targetDuration === undefined) throw new Error("not a media playlist: no TARGETDURATION");
  return {
    targetDuration,
    partTarget,
    partHoldBack,
    canBlockReload,
    mediaSequence,
    mapUri,
    completeSegments,
    parts,
    preloadHint,
    ended,
  };
}

export interface PartPosition {
  readonly msn: number;
  readonly index: number;
}

export function isAfter(a: PartPosition, b: PartPosition): boolean {
  return a.msn > b.msn || (a.msn === b.msn && a.index > b.index);
}

/** The listed parts that come after `last` (all of them when there is no `last`). */
export function partsAfter(
  playlist: MediaPlaylist,
  last: PartPosition | undefined,
): readonly ListedPart[] {
  return last ? playlist.parts.filter((p) => isAfter(p, last)) : playlist.parts;
}

/**
 * The delivery directives for the blocking reload that returns once the part after `last`
 * exists (§6.2.5.2): the next index in the same segment, or part 0 of the next segment once
 * `last`'s segment is complete. hls.js in low-latency mode asks the same.
 */
export function nextBlockingReload(playlist: MediaPlaylist, last: PartPosition): PartPosition {
  return playlist.completeSegments.includes(last.msn)
    ? { msn: last.msn + 1, index: 0 }
    : { msn: last.msn, index: last.index + 1 };
}

/**
 * Where a player joining now starts: PART-HOLD-BACK seconds (3 part targets if absent) from
 * the end of the listed parts, as hls.js does in low-latency mode; the parts to fetch first.
 */
export function startingParts(playlist: MediaPlaylist): readonly ListedPart[] {
  const holdBack = playlist.partHoldBack ?? 3 * (playlist.partTarget ?? 1);
  let seconds = 0;
  let from = playlist.parts.length;
  while (from > 0 && seconds < holdBack - 1e-6) {
    from--;
    seconds += playlist.parts[from]?.duration ?? 0;
  }
  return playlist.parts.slice(from);
}
