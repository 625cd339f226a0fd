/**
 * What a listener hears in one LL-HLS part: the part (one CMAF chunk, moof + mdat, as
 * src/media/fmp4/media-fragment.ts writes it) is unpacked, its Opus packets decoded, and the
 * RMS level of the whole part taken (src/media/mixer/audio-level.ts). A part is "audible"
 * (carries the speaker's voice) at -50 dBFS or more: the test tone is about -15 dBFS, the
 * program with nobody speaking is digital silence (-127). Decoded once per distinct part.
 */
import { createHash } from "node:crypto";
import opus from "@discordjs/opus";
import { rmsDbfs } from "../../../src/media/mixer/audio-level.ts";

export const AUDIBLE_DBFS = -50;

/** The Opus packets of a CMAF chunk (moof/traf/trun with data offsets from the moof). */
export function opusPackets(chunk: Uint8Array): Uint8Array[] {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const packets: Uint8Array[] = [];
  let at = 0;
  while (at + 8 <= chunk.byteLength) {
    const size = view.getUint32(at);
    const type = String.fromCharCode(...chunk.subarray(at + 4, at + 8));
    if (size < 8) break;
    if (type === "moof") packets.push(...packetsOfMoof(chunk, view, at, size));
    at += size;
  }
  return packets;
}

function packetsOfMoof(chunk: Uint8Array, view: DataView, moofAt: number, moofSize: number) {
  const out: Uint8Array[] = [];
  const walk = (from: number, to: number) => {
    let at = from;
    while (at + 8 <= to) {
      const size = view.getUint32(at);
      const type = String.fromCharCode(...chunk.subarray(at + 4, at + 8));
      if (size < 8) return;
      if (type === "traf") walk(at + 8, at + size);
      if (type === "trun") {
        const flags = view.getUint32(at + 8) & 0xffffff;
        const count = view.getUint32(at + 12);
        let p = at + 16;
        let offset = 0;
        if (flags & 0x1) {
          offset = view.getInt32(p);
          p += 4;
        }
        if (flags & 0x4) p += 4;
        let data = moofAt + offset;
        for (let i = 0; i < count; i++) {
          if (flags & 0x100) p += 4;
          const sampleSize = flags & 0x200 ? view.getUint32(p) : 0;
          if (flags & 0x200) p += 4;
          if (flags & 0x400) p += 4;
          if (flags & 0x800) p += 4;
          out.push(chunk.subarray(data, data + sampleSize));
          data += sampleSize;
        }
      }
      at += size;
    }
  };
  walk(moofAt + 8, moofAt + moofSize);
  return out;
}

/** The RMS level (dBFS) of the decoded audio of a part; -127 for silence or nothing. */
export function partLevelDbfs(chunk: Uint8Array): number {
  const decoder = new opus.OpusEncoder(48_000, 1);
  const pcm: number[] = [];
  for (const packet of opusPackets(chunk)) {
    if (packet.byteLength === 0) continue;
    try {
      const out = decoder.decode(Buffer.from(packet));
      const samples = new Int16Array(out.buffer, out.byteOffset, out.byteLength / 2);
      for (const s of samples) pcm.push(s);
    } catch {
      // an undecodable packet counts as silence
    }
  }
  return rmsDbfs(pcm);
}

export const partHash = (bytes: Uint8Array): string =>
  createHash("sha1").update(bytes).digest("hex");

/** Levels by content hash: each distinct part decoded once, however many listeners got it. */
export class PartLevels {
  private readonly levels = new Map<string, number>();

  level(hash: string, bytes: Uint8Array): number {
    let level = this.levels.get(hash);
    if (level === undefined) {
      level = partLevelDbfs(bytes);
      this.levels.set(hash, level);
    }
    return level;
  }

  audible(hash: string, bytes: Uint8Array): boolean {
    return this.level(hash, bytes) >= AUDIBLE_DBFS;
  }
}
