import { describe, expect, test } from "vitest";
import { box, fullBox } from "./box.ts";
import { fourcc, i16, u16, u24, u32, u64 } from "./bytes.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("box writer (ISO/IEC 14496-12 §4.2)", () => {
  test("a box is its 32-bit size, its type, then its payloads", () => {
    expect(hex(box("free"))).toBe("0000000866726565");
    expect(hex(box("abcd", Uint8Array.of(1, 2), Uint8Array.of(3)))).toBe("0000000b61626364010203");
  });

  test("a full box puts version and 24-bit flags before the payload", () => {
    expect(hex(fullBox("tfhd", 1, 0x020000, u32(7)))).toBe("000000107466686401020000" + "00000007");
  });

  test("fields are big-endian and range-checked", () => {
    expect(hex(u16(0x1234))).toBe("1234");
    expect(hex(i16(-4))).toBe("fffc");
    expect(hex(u24(0x020000))).toBe("020000");
    expect(hex(u64(2 ** 40 + 5))).toBe("0000010000000005");
    expect(() => u16(0x10000)).toThrow(RangeError);
    expect(() => u32(-1)).toThrow(RangeError);
    expect(() => u32(1.5)).toThrow(RangeError);
    expect(() => u64(2 ** 53)).toThrow(RangeError);
    expect(() => fourcc("moo")).toThrow(RangeError);
  });
});
