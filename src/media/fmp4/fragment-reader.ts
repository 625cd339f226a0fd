/**
 * Reads back what `mediaFragment` and `initSegment` write (ISO/IEC 14496-12), so a recording
 * can be cut and put on a new timeline: errors as values, never a throw on bad bytes.
 */
import type { FragmentSample } from "./media-fragment.ts";

export interface ReadFragment {
  /** tfhd track_ID (§8.8.7). */
  readonly trackId: number;
  /** tfdt baseMediaDecodeTime (§8.8.12), in media timescale ticks. */
  readonly baseMediaDecodeTime: number;
  readonly samples: readonly FragmentSample[];
}

export type ReadResult<T> = { ok: true; value: T } | { ok: false; reason: string };

interface BoxView {
  type: string;
  /** Offset of the box's first byte within the buffer read. */
  start: number;
  /** Offset of its payload (after size, type and any largesize). */
  body: number;
  end: number;
}

function boxes(bytes: Uint8Array, from: number, to: number): BoxView[] | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: BoxView[] = [];
  let at = from;
  while (at < to) {
    if (at + 8 > to) return `truncated box header at ${at}`;
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) return `truncated largesize at ${at}`;
      size = Number(view.getBigUint64(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = to - at; // §4.2: the box extends to the end of the file
    }
    if (size < body - at || at + size > to) return `box ${type} at ${at} overruns its parent`;
    out.push({ type, start: at, body, end: at + size });
    at += size;
  }
  return out;
}

function child(bytes: Uint8Array, parent: BoxView, type: string): BoxView | string {
  const children = boxes(bytes, parent.body, parent.end);
  if (typeof children === "string") return children;
  return children.find((b) => b.type === type) ?? `no ${type} in ${parent.type}`;
}

/** trun flags (§8.8.8.1). */
const DATA_OFFSET = 0x000001;
const FIRST_SAMPLE_FLAGS = 0x000004;
const SAMPLE_DURATION = 0x000100;
const SAMPLE_SIZE = 0x000200;
const SAMPLE_FLAGS = 0x000400;
const SAMPLE_CTO = 0x000800;

/**
 * The fragments (moof + mdat) of a chunk, with their samples' bytes and durations. Only what a
 * CMAF audio chunk uses is read: one traf per moof, default-base-is-moof, a trun giving every
 * sample's duration and size.
 */
export function readMediaFragments(bytes: Uint8Array): ReadResult<ReadFragment[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const top = boxes(bytes, 0, bytes.byteLength);
  if (typeof top === "string") return { ok: false, reason: top };
  const fragments: ReadFragment[] = [];
  for (const moof of top.filter((b) => b.type === "moof")) {
    const traf = child(bytes, moof, "traf");
    if (typeof traf === "string") return { ok: false, reason: traf };
    const tfhd = child(bytes, traf, "tfhd");
    if (typeof tfhd === "string") return { ok: false, reason: tfhd };
    const trackId = view.getUint32(tfhd.body + 4);
    const tfdt = child(bytes, traf, "tfdt");
    if (typeof tfdt === "string") return { ok: false, reason: tfdt };
    const tfdtVersion = bytes[tfdt.body] ?? 0;
    const baseMediaDecodeTime =
      tfdtVersion === 1 ? Number(view.getBigUint64(tfdt.body + 4)) : view.getUint32(tfdt.body + 4);
    const trun = child(bytes, traf, "trun");
    if (typeof trun === "string") return { ok: false, reason: trun };
    const flags = view.getUint32(trun.body) & 0xffffff;
    if (!(flags & DATA_OFFSET) || !(flags & SAMPLE_DURATION) || !(flags & SAMPLE_SIZE)) {
      return { ok: false, reason: "trun without data offset, sample durations and sizes" };
    }
    const count = view.getUint32(trun.body + 4);
    let at = trun.body + 8;
    let dataAt = moof.start + view.getInt32(at);
    at += 4;
    if (flags & FIRST_SAMPLE_FLAGS) at += 4;
    const perSample = 4 + 4 + (flags & SAMPLE_FLAGS ? 4 : 0) + (flags & SAMPLE_CTO ? 4 : 0);
    if (at + count * perSample > trun.end) return { ok: false, reason: "trun overruns its box" };
    const samples: FragmentSample[] = [];
    for (let i = 0; i < count; i++, at += perSample) {
      const duration = view.getUint32(at);
      const size = view.getUint32(at + 4);
      if (dataAt + size > bytes.byteLength) return { ok: false, reason: "sample past the data" };
      samples.push({ duration, data: bytes.subarray(dataAt, dataAt + size) });
      dataAt += size;
    }
    fragments.push({ trackId, baseMediaDecodeTime, samples });
  }
  return { ok: true, value: fragments };
}

/** The media timescale of the first track of an init segment (mdhd, §8.4.2). */
export function readTimescale(init: Uint8Array): ReadResult<number> {
  const view = new DataView(init.buffer, init.byteOffset, init.byteLength);
  const top = boxes(init, 0, init.byteLength);
  if (typeof top === "string") return { ok: false, reason: top };
  let at: BoxView | string = top.find((b) => b.type === "moov") ?? "no moov";
  for (const type of ["trak", "mdia", "mdhd"]) {
    if (typeof at === "string") break;
    at = child(init, at, type);
  }
  if (typeof at === "string") return { ok: false, reason: at };
  const version = init[at.body] ?? 0;
  return { ok: true, value: view.getUint32(at.body + 4 + (version === 1 ? 16 : 8)) };
}

/** The Opus pre-skip and channel count of an init segment's `dOps` box (Opus-ISOBMFF §4.3.2). */
export function readOpusConfig(
  init: Uint8Array,
): ReadResult<{ preSkip: number; channels: number }> {
  for (let i = 4; i + 8 <= init.byteLength; i++) {
    if (String.fromCharCode(...init.subarray(i, i + 4)) === "dOps") {
      const view = new DataView(init.buffer, init.byteOffset + i + 4);
      return { ok: true, value: { channels: view.getUint8(1), preSkip: view.getUint16(2) } };
    }
  }
  return { ok: false, reason: "no dOps" };
}
