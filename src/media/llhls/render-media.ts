/** Renders a media playlist (RFC 8216bis §4.4) from a playlist snapshot. */
import { dateTime, decimal, quoted, tag } from "./format.ts";
import type { PlaylistPart, PlaylistSnapshot } from "./types.ts";

/**
 * EXT-X-MAP in a media playlist without EXT-X-I-FRAMES-ONLY needs version 6 (§8); nothing
 * else here needs more (parts, blocking reload and preload hints carry no version
 * requirement; EXT-X-SKIP, which would need 9, is not used), and §6.2.1 says the version
 * SHOULD NOT be higher than required.
 */
export const MEDIA_PLAYLIST_VERSION = 6;

/** EXT-X-PART tags go once they are more than three target durations from the end (§6.2.2). */
export const PART_LISTING_TARGET_DURATIONS = 3;

export interface RenderOptions {
  /**
   * "VOD" renders an ended playlist as a recording: EXT-X-PLAYLIST-TYPE:VOD (§4.4.3.5) and no
   * low-latency tags. A live playlist has no playlist type (§6.2.2).
   */
  readonly playlistType?: "VOD";
}

export function renderMediaPlaylist(
  playlist: PlaylistSnapshot,
  options: RenderOptions = {},
): string {
  const vod = options.playlistType === "VOD";
  if (vod && !playlist.ended) throw new Error("only an ended playlist can be rendered as VOD");
  const lines = [
    "#EXTM3U",
    `#EXT-X-VERSION:${MEDIA_PLAYLIST_VERSION}`,
    `#EXT-X-TARGETDURATION:${playlist.targetDuration}`,
  ];
  if (vod) lines.push("#EXT-X-PLAYLIST-TYPE:VOD");
  else {
    lines.push(
      tag("EXT-X-SERVER-CONTROL", {
        "CAN-BLOCK-RELOAD": "YES",
        "PART-HOLD-BACK": decimal(playlist.partHoldBack),
      }),
      tag("EXT-X-PART-INF", { "PART-TARGET": decimal(playlist.partTarget) }),
    );
  }
  lines.push(`#EXT-X-MEDIA-SEQUENCE:${playlist.mediaSequence}`);
  if (playlist.discontinuitySequence > 0) {
    lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${playlist.discontinuitySequence}`);
  }
  lines.push(
    // §4.4.2.1: every Opus packet decodes on its own, so every segment does too.
    "#EXT-X-INDEPENDENT-SEGMENTS",
    tag("EXT-X-MAP", { URI: quoted(playlist.mapUri) }),
  );
  const listedFrom = vod ? Infinity : firstSegmentWithParts(playlist);
  for (const segment of playlist.segments) {
    // §4.4.4.9: tags applied to a segment precede its first EXT-X-PART.
    if (segment.discontinuity) lines.push("#EXT-X-DISCONTINUITY");
    if (segment.programDateTime !== undefined) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${dateTime(segment.programDateTime)}`);
    }
    if (segment.msn >= listedFrom) lines.push(...segment.parts.map(partLine));
    lines.push(`#EXTINF:${decimal(segment.duration)},`, segment.uri);
  }
  const { open } = playlist;
  if (!vod && open.parts.length > 0) {
    if (open.discontinuity) lines.push("#EXT-X-DISCONTINUITY");
    if (open.programDateTime !== undefined) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${dateTime(open.programDateTime)}`);
    }
    lines.push(...open.parts.map(partLine));
  }
  if (playlist.ended) lines.push("#EXT-X-ENDLIST");
  else if (playlist.nextPart) {
    // §4.4.5.3: the hinted URI is the one the next EXT-X-PART will carry; none after ENDLIST.
    lines.push(tag("EXT-X-PRELOAD-HINT", { TYPE: "PART", URI: quoted(playlist.nextPart.uri) }));
  }
  return `${lines.join("\n")}\n`;
}

/** §4.4.4.9 EXT-X-PART: DURATION, URI, and INDEPENDENT=YES when it starts decodable. */
function partLine(part: PlaylistPart): string {
  return tag("EXT-X-PART", {
    DURATION: decimal(part.duration),
    URI: quoted(part.uri),
    INDEPENDENT: part.independent ? "YES" : undefined,
  });
}

/**
 * The msn of the oldest complete segment whose parts are still listed: one that starts no
 * more than three target durations before the end of the playlist, so that no listed part
 * is further than that from the end (§6.2.2 SHOULD).
 */
function firstSegmentWithParts(playlist: PlaylistSnapshot): number {
  const horizon = PART_LISTING_TARGET_DURATIONS * playlist.targetDuration + 1e-6;
  let fromEnd = playlist.open.parts.reduce((seconds, part) => seconds + part.duration, 0);
  let first = playlist.open.msn;
  for (let i = playlist.segments.length - 1; i >= 0; i--) {
    const segment = playlist.segments[i];
    if (!segment) break;
    fromEnd += segment.duration;
    if (fromEnd > horizon) break;
    first = segment.msn;
  }
  return first;
}
