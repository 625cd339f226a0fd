/**
 * A minimal ID3v2.4 tag (id3.org, "ID3 tag version 2.4.0 - Main Structure") holding one user
 * text frame (`TXXX`, §4.2.6 of the frames document): UTF-8, a description naming what the
 * text is, and the text. Sizes are synchsafe integers (7 bits per byte), in the header and,
 * in version 2.4, in each frame header too.
 */

const encoder = new TextEncoder();

function synchsafe(size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 0 || size >= 1 << 28) {
    throw new RangeError(`an ID3 size must fit 28 bits, got ${size}`);
  }
  return Uint8Array.of(
    (size >>> 21) & 0x7f,
    (size >>> 14) & 0x7f,
    (size >>> 7) & 0x7f,
    size & 0x7f,
  );
}

/** Text encoding byte of ID3v2.4 for UTF-8. */
const UTF8 = 3;

/** One ID3v2.4 tag with one TXXX frame: `description` names the text, `text` is the value. */
export function id3UserText(description: string, text: string): Uint8Array {
  const desc = encoder.encode(description);
  const value = encoder.encode(text);
  const frameBody = new Uint8Array(1 + desc.byteLength + 1 + value.byteLength);
  frameBody[0] = UTF8;
  frameBody.set(desc, 1);
  frameBody.set(value, 1 + desc.byteLength + 1);
  const frameSize = 10 + frameBody.byteLength;
  const tag = new Uint8Array(10 + frameSize);
  tag.set([0x49, 0x44, 0x33, 4, 0, 0]); // "ID3", version 2.4.0, no flags
  tag.set(synchsafe(frameSize), 6);
  tag.set([0x54, 0x58, 0x58, 0x58], 10); // "TXXX"
  tag.set(synchsafe(frameBody.byteLength), 14);
  // Frame flags (two bytes) stay zero.
  tag.set(frameBody, 20);
  return tag;
}

const decoder = new TextDecoder();

const readSynchsafe = (b: Uint8Array, at: number): number =>
  ((b[at] ?? 0) << 21) | ((b[at + 1] ?? 0) << 14) | ((b[at + 2] ?? 0) << 7) | (b[at + 3] ?? 0);

/**
 * The text of the first TXXX frame named `description` in an ID3v2.3/2.4 tag, or null. UTF-8
 * frames are read (what `id3UserText` writes); ISO-8859-1 ones are read as ASCII-compatible.
 */
export function readId3UserText(tag: Uint8Array, description: string): string | null {
  if (tag.byteLength < 10 || tag[0] !== 0x49 || tag[1] !== 0x44 || tag[2] !== 0x33) return null;
  const version = tag[3];
  const end = Math.min(tag.byteLength, 10 + readSynchsafe(tag, 6));
  let at = 10;
  while (at + 10 <= end) {
    const id = decoder.decode(tag.subarray(at, at + 4));
    if (id === "\0\0\0\0") break;
    const size =
      version === 4
        ? readSynchsafe(tag, at + 4)
        : new DataView(tag.buffer, tag.byteOffset).getUint32(at + 4);
    const body = tag.subarray(at + 10, Math.min(end, at + 10 + size));
    at += 10 + size;
    if (id !== "TXXX" || body.byteLength < 2) continue;
    const encoding = body[0];
    if (encoding !== 3 && encoding !== 0) continue;
    const split = body.indexOf(0, 1);
    if (split < 0) continue;
    if (decoder.decode(body.subarray(1, split)) !== description) continue;
    let value = body.subarray(split + 1);
    if (value.at(-1) === 0) value = value.subarray(0, -1);
    return decoder.decode(value);
  }
  return null;
}
