/**
 * The two layers together, read by FFmpeg's HLS demuxer: real Opus packets become 0.5 s
 * fMP4 parts, parts become segments, and the rendered playlists must play through to the
 * same packets and decode cleanly.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  decodeToNull,
  encodeSineOgg,
  hasFfmpeg,
  type OggOpus,
  parseOggOpus,
  probe,
} from "../../../test/support/ffprobe.ts";
import { initSegment } from "../fmp4/init-segment.ts";
import { mediaFragment } from "../fmp4/media-fragment.ts";
import { isIndependent, opusPacketSamples } from "../fmp4/opus.ts";
import { LivePlaylist } from "./live-playlist.ts";
import { renderMultivariantPlaylist } from "./multivariant.ts";
import { renderMediaPlaylist } from "./render-media.ts";
import type { PlaylistSegment } from "./types.ts";
import { INIT_URI, MEDIA_PLAYLIST_URI } from "./uris.ts";

const runnable = hasFfmpeg() || process.env.CI === "true";

/**
 * Packages the packets the way the live packager would, writing every resource to `dir`,
 * then ends the stream.
 */
function packageStream(ogg: OggOpus, dir: string, playlist: LivePlaylist): void {
  const head = ogg.head;
  const init = { channels: head.channels, sampleRate: head.inputSampleRate, preSkip: head.preSkip };
  writeFileSync(join(dir, INIT_URI), initSegment({ ...init, trackId: 1 }));
  const parts = new Map<string, Uint8Array>();
  let decodeTime = 0;
  for (let i = 0; i < ogg.packets.length; i += 25) {
    const samples = ogg.packets
      .slice(i, i + 25)
      .map((data) => ({ data, duration: opusPacketSamples(data) }));
    const fragment = mediaFragment({
      sequenceNumber: i / 25 + 1,
      baseMediaDecodeTime: decodeTime,
      samples,
    });
    const ticks = samples.reduce((sum, sample) => sum + sample.duration, 0);
    decodeTime += ticks;
    const hint = playlist.nextPart()?.uri;
    const { part, closed } = playlist.addPart({
      duration: ticks / 48_000,
      independent: samples.every((sample) => isIndependent(sample.data)),
      startedAt: Date.UTC(2025, 0, 1) + (decodeTime - ticks) / 48,
    });
    expect(part.uri).toBe(hint);
    parts.set(part.uri, fragment);
    writeFileSync(join(dir, part.uri), fragment);
    if (closed) writeSegment(closed);
  }
  const last = playlist.end();
  if (last) writeSegment(last);

  function writeSegment(segment: PlaylistSegment): void {
    writeFileSync(
      join(dir, segment.uri),
      Buffer.concat(segment.parts.map((p) => parts.get(p.uri)!)),
    );
  }
}

describe.skipIf(!runnable)("LL-HLS playlists read by FFmpeg", () => {
  let dir = "";
  let ogg: OggOpus;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "amphi-llhls-"));
    ogg = parseOggOpus(encodeSineOgg(5));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("an ended live playlist plays every packet, 20 ms apart, without errors", () => {
    const playlist = new LivePlaylist({ windowSegments: Infinity });
    packageStream(ogg, dir, playlist);
    const path = join(dir, MEDIA_PLAYLIST_URI);
    writeFileSync(path, renderMediaPlaylist(playlist.snapshot()));
    const { streams, packets } = probe(path);
    expect(streams[0]).toMatchObject({ codec_name: "opus", sample_rate: "48000", channels: 1 });
    expect(packets).toHaveLength(ogg.packets.length);
    for (let i = 1; i < packets.length; i++) {
      expect(packets[i]!.pts - packets[i - 1]!.pts).toBe(960);
    }
    expect(decodeToNull(path)).toMatchObject({ status: 0, stderr: "" });
  });

  test("the VOD rendering and the multivariant playlist above it play the same", () => {
    const playlist = new LivePlaylist({ windowSegments: Infinity });
    packageStream(ogg, dir, playlist);
    writeFileSync(
      join(dir, "vod.m3u8"),
      renderMediaPlaylist(playlist.snapshot(), { playlistType: "VOD" }),
    );
    const main = join(dir, "main.m3u8");
    writeFileSync(main, renderMultivariantPlaylist([{ uri: "vod.m3u8", bandwidth: 48_000 }]));
    expect(probe(main).packets).toHaveLength(ogg.packets.length);
    expect(decodeToNull(main)).toMatchObject({ status: 0, stderr: "" });
  });
});
