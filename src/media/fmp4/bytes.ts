/**
 * Big-endian field writers for ISO BMFF boxes. ISO/IEC 14496-12 §4.2 stores every integer
 * field most significant byte first; the Opus Specific Box does the same (Opus in ISOBMFF
 * §4.3.2: "all the data are stored as big-endian format"). Each writer checks its range and
 * throws a RangeError rather than silently wrapping a value that does not fit.
 */

function checkInteger(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** An unsigned 8-bit field. */
export function u8(value: number): Uint8Array {
  checkInteger(value, 0, 0xff, "u8");
  return Uint8Array.of(value);
}

/** An unsigned 16-bit field. */
export function u16(value: number): Uint8Array {
  checkInteger(value, 0, 0xffff, "u16");
  return Uint8Array.of(value >>> 8, value & 0xff);
}

/** A signed 16-bit field, two's complement. */
export function i16(value: number): Uint8Array {
  checkInteger(value, -0x8000, 0x7fff, "i16");
  return u16(value & 0xffff);
}

/** An unsigned 24-bit field (the flags of a full box). */
export function u24(value: number): Uint8Array {
  checkInteger(value, 0, 0xffffff, "u24");
  return Uint8Array.of(value >>> 16, (value >>> 8) & 0xff, value & 0xff);
}

/** An unsigned 32-bit field. */
export function u32(value: number): Uint8Array {
  checkInteger(value, 0, 0xffffffff, "u32");
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** A signed 32-bit field, two's complement. */
export function i32(value: number): Uint8Array {
  checkInteger(value, -0x80000000, 0x7fffffff, "i32");
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value);
  return out;
}

/** An unsigned 64-bit field; JavaScript numbers are exact up to 2^53 - 1, which is the limit. */
export function u64(value: number): Uint8Array {
  checkInteger(value, 0, Number.MAX_SAFE_INTEGER, "u64");
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

/** A four-character code (box type, brand, handler type), printable ASCII only. */
export function fourcc(code: string): Uint8Array {
  if (!/^[\x20-\x7e]{4}$/.test(code)) {
    throw new RangeError(`a four-character code must be 4 printable ASCII characters: "${code}"`);
  }
  return Uint8Array.from(code, (char) => char.charCodeAt(0));
}

/** `count` zero bytes, for reserved and pre_defined fields. */
export function zeros(count: number): Uint8Array {
  return new Uint8Array(count);
}

/** A null-terminated UTF-8 string (the `name` of a Handler Reference Box, §8.4.3). */
export function cString(text: string): Uint8Array {
  return concat([new TextEncoder().encode(text), Uint8Array.of(0)]);
}

/** The parts laid end to end in one new array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
