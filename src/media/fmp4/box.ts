import { concat, fourcc, u8, u24, u32, u64 } from "./bytes.ts";

const MAX_COMPACT_SIZE = 0xffffffff;

/**
 * A box (ISO/IEC 14496-12 §4.2): a 32-bit size covering the whole box, the four-character
 * type, then the payloads in order. A box too large for the 32-bit size gets `size = 1` and a
 * 64-bit `largesize` after the type, as §4.2 allows.
 */
export function box(type: string, ...payloads: Uint8Array[]): Uint8Array {
  const body = concat(payloads);
  const compact = 8 + body.byteLength;
  if (compact <= MAX_COMPACT_SIZE) return concat([u32(compact), fourcc(type), body]);
  return concat([u32(1), fourcc(type), u64(16 + body.byteLength), body]);
}

/**
 * A full box (ISO/IEC 14496-12 §4.2 `FullBox`): a box whose payload starts with an 8-bit
 * version and 24 bits of flags.
 */
export function fullBox(
  type: string,
  version: number,
  flags: number,
  ...payloads: Uint8Array[]
): Uint8Array {
  return box(type, u8(version), u24(flags), ...payloads);
}
