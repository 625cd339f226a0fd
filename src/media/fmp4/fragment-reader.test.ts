import { describe, expect, test } from "vitest";
import { eventMessageBox, ID3_EMSG_SCHEME } from "./emsg.ts";
import { readMediaFragments, readOpusConfig } from "./fragment-reader.ts";
import { initSegment } from "./init-segment.ts";
import { mediaFragment } from "./media-fragment.ts";

const packet = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe("readMediaFragments", () => {
  test("reads a live part's samples behind the emsg boxes that carry its cues", () => {
    const fragment = mediaFragment({
      sequenceNumber: 7,
      baseMediaDecodeTime: 96_000,
      samples: [
        { data: packet(3, 1), duration: 960 },
        { data: packet(5, 2), duration: 960 },
      ],
    });
    const emsg = eventMessageBox({
      schemeIdUri: ID3_EMSG_SCHEME,
      value: "",
      timescale: 48_000,
      presentationTime: 96_960,
      eventDuration: 0xffffffff,
      id: 101,
      messageData: packet(12, 9),
    });
    const part = new Uint8Array(emsg.byteLength + fragment.byteLength);
    part.set(emsg);
    part.set(fragment, emsg.byteLength);
    const read = readMediaFragments(part);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value).toHaveLength(1);
    expect(read.value[0]?.baseMediaDecodeTime).toBe(96_000);
    expect(read.value[0]?.samples.map((s) => [s.duration, [...s.data]])).toEqual([
      [960, [1, 1, 1]],
      [960, [2, 2, 2, 2, 2]],
    ]);
  });
});

describe("readOpusConfig", () => {
  test("reads the pre-skip and channel count of the init segment's dOps", () => {
    const init = initSegment({ channels: 2, sampleRate: 48_000, preSkip: 312, trackId: 1 });
    expect(readOpusConfig(init)).toEqual({ ok: true, value: { channels: 2, preSkip: 312 } });
    expect(readOpusConfig(new Uint8Array(32)).ok).toBe(false);
  });
});
