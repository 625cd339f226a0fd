/**
 * Timed metadata in a CMAF chunk: the Event Message box (ISO/IEC 23009-1 §5.10.3.3, `emsg`),
 * version 1, whose presentation time is absolute on the track's timeline. CMAF puts event
 * messages before the `moof` of the chunk they belong to (ISO/IEC 23000-19 §7.4.5); players
 * surface them with their media time (hls.js: FRAG_PARSING_METADATA; Safari: metadata cues).
 */
import { fullBox } from "./box.ts";
import { u32, u64 } from "./bytes.ts";

/** The scheme AOM registered for ID3 tags carried in `emsg` (which hls.js and Safari read). */
export const ID3_EMSG_SCHEME = "https://aomedia.org/emsg/ID3";

export interface EventMessage {
  readonly schemeIdUri: string;
  readonly value: string;
  /** Ticks per second of `presentationTime` and `eventDuration`. */
  readonly timescale: number;
  /** When the event applies, on the track's media timeline (the tfdt's scale, from 0). */
  readonly presentationTime: number;
  /** How long it lasts, in ticks; 0xFFFFFFFF: unknown (until the next event). */
  readonly eventDuration: number;
  /** Identifies the message within its scheme; a repeated id is the same event again. */
  readonly id: number;
  readonly messageData: Uint8Array;
}

const encoder = new TextEncoder();
const cString = (text: string): Uint8Array => {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.byteLength + 1);
  out.set(bytes);
  return out;
};

/** `emsg` version 1: timescale, 64-bit presentation time, duration, id, two strings, data. */
export function eventMessageBox(message: EventMessage): Uint8Array {
  return fullBox(
    "emsg",
    1,
    0,
    u32(message.timescale),
    u64(message.presentationTime),
    u32(message.eventDuration),
    u32(message.id),
    cString(message.schemeIdUri),
    cString(message.value),
    message.messageData,
  );
}

const decoder = new TextDecoder();

/**
 * The `emsg` boxes at the top level of a chunk or segment (before each moof), version 0 or
 * 1; a version 0 box's time is relative to the chunk (`presentationTimeDelta`), reported in
 * `presentationTime` as given. Truncated or malformed boxes end the scan: what came before
 * is returned.
 */
export function readEventMessages(bytes: Uint8Array): EventMessage[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: EventMessage[] = [];
  let at = 0;
  while (at + 8 <= bytes.byteLength) {
    const size = view.getUint32(at);
    const type = decoder.decode(bytes.subarray(at + 4, at + 8));
    if (size < 8 || at + size > bytes.byteLength) break;
    if (type === "emsg") {
      const message = parseEventMessage(bytes.subarray(at + 8, at + size));
      if (message) out.push(message);
    }
    at += size;
  }
  return out;
}

function parseEventMessage(body: Uint8Array): EventMessage | null {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const version = body[0];
  let at = 4;
  const text = (): string | null => {
    const end = body.indexOf(0, at);
    if (end < 0) return null;
    const s = decoder.decode(body.subarray(at, end));
    at = end + 1;
    return s;
  };
  try {
    if (version === 1) {
      const timescale = view.getUint32(at);
      const presentationTime = Number(view.getBigUint64(at + 4));
      const eventDuration = view.getUint32(at + 12);
      const id = view.getUint32(at + 16);
      at += 20;
      const schemeIdUri = text();
      const value = text();
      if (schemeIdUri === null || value === null) return null;
      const messageData = body.subarray(at);
      return { schemeIdUri, value, timescale, presentationTime, eventDuration, id, messageData };
    }
    if (version === 0) {
      const schemeIdUri = text();
      const value = text();
      if (schemeIdUri === null || value === null) return null;
      const timescale = view.getUint32(at);
      const presentationTime = view.getUint32(at + 4);
      const eventDuration = view.getUint32(at + 8);
      const id = view.getUint32(at + 12);
      const messageData = body.subarray(at + 16);
      return { schemeIdUri, value, timescale, presentationTime, eventDuration, id, messageData };
    }
  } catch {
    // A box cut short: nothing usable in it.
  }
  return null;
}
