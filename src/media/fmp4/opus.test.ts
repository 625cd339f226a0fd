import { describe, expect, test } from "vitest";
import { dOpsBox, isIndependent, opusPacketSamples, rollDistance } from "./opus.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("dOps (Opus-ISOBMFF §4.3.2)", () => {
  test("mono family 0: version, channels, pre-skip, input rate, gain, family, big-endian", () => {
    const dOps = dOpsBox({ channels: 1, sampleRate: 48_000, preSkip: 312 });
    expect(hex(dOps)).toBe("00000013644f7073" + "00" + "01" + "0138" + "0000bb80" + "0000" + "00");
  });

  test("a negative output gain is two's complement", () => {
    const dOps = dOpsBox({ channels: 2, sampleRate: 44_100, preSkip: 0, outputGain: -256 });
    expect(hex(dOps.subarray(8))).toBe("00" + "02" + "0000" + "0000ac44" + "ff00" + "00");
  });

  test("more than two channels need a mapping table, which follows the family", () => {
    expect(() => dOpsBox({ channels: 3, sampleRate: 48_000, preSkip: 312 })).toThrow(RangeError);
    const mapping = { family: 1, streamCount: 2, coupledCount: 1, mapping: [0, 2, 1] };
    const dOps = dOpsBox({
      channels: 3,
      sampleRate: 48_000,
      preSkip: 312,
      channelMapping: mapping,
    });
    expect(hex(dOps.subarray(18))).toBe("01" + "02" + "01" + "000201");
    const short = { ...mapping, mapping: [0, 1] };
    expect(() =>
      dOpsBox({ channels: 3, sampleRate: 48_000, preSkip: 312, channelMapping: short }),
    ).toThrow(RangeError);
  });
});

describe("Opus packet duration from the TOC byte (RFC 6716 §3.1)", () => {
  const toc = (config: number, code: number) => (config << 3) | code;

  test.each([
    [1, 960], // SILK NB 20 ms
    [3, 2880], // SILK NB 60 ms
    [10, 1920], // SILK WB 40 ms
    [12, 480], // Hybrid SWB 10 ms
    [15, 960], // Hybrid FB 20 ms
    [16, 120], // CELT NB 2.5 ms
    [29, 240], // CELT FB 5 ms
    [31, 960], // CELT FB 20 ms, what the Amphi mix sends
  ])("config %i, one frame: %i samples", (config, samples) => {
    expect(opusPacketSamples(Uint8Array.of(toc(config, 0), 0xaa))).toBe(samples);
  });

  test("codes 1 and 2 carry two frames, code 3 counts its frames", () => {
    expect(opusPacketSamples(Uint8Array.of(toc(31, 1)))).toBe(1920);
    expect(opusPacketSamples(Uint8Array.of(toc(31, 2), 1))).toBe(1920);
    expect(opusPacketSamples(Uint8Array.of(toc(31, 3), 0x80 | 6))).toBe(5760);
  });

  test("malformed packets are refused (RFC 6716 §3.4)", () => {
    expect(() => opusPacketSamples(new Uint8Array(0))).toThrow(RangeError);
    expect(() => opusPacketSamples(Uint8Array.of(toc(31, 3)))).toThrow(RangeError);
    expect(() => opusPacketSamples(Uint8Array.of(toc(31, 3), 0))).toThrow(RangeError);
    expect(() => opusPacketSamples(Uint8Array.of(toc(3, 3), 3))).toThrow(RangeError); // 180 ms
  });
});

describe("random access (Opus-ISOBMFF §4.3.6)", () => {
  test("every packet is independent", () => {
    expect(isIndependent(Uint8Array.of(0xfc))).toBe(true);
  });

  test("the roll distance covers 80 ms of pre-roll", () => {
    expect(rollDistance(960)).toBe(-4);
    expect(rollDistance(120)).toBe(-32);
    expect(rollDistance(2880)).toBe(-2);
    expect(() => rollDistance(0)).toThrow(RangeError);
  });
});
