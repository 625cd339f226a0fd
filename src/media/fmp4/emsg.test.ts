import { describe, expect, it } from "vitest";
import { eventMessageBox, ID3_EMSG_SCHEME, readEventMessages } from "./emsg.ts";
import { id3UserText, readId3UserText } from "./id3.ts";

describe("emsg with an ID3 tag", () => {
  it("reads back what it wrote: version 1, absolute time, scheme, id and the tag's text", () => {
    const text = JSON.stringify({ v: 1, speaking: { "ab-1": 0.7 }, reactions: { "🔥": 2 } });
    const box = eventMessageBox({
      schemeIdUri: ID3_EMSG_SCHEME,
      value: "",
      timescale: 48_000,
      presentationTime: 2 ** 40 + 960,
      eventDuration: 0xffffffff,
      id: 42,
      messageData: id3UserText("amphi", text),
    });
    expect(Buffer.from(box.subarray(4, 8)).toString("latin1")).toBe("emsg");
    expect(box[8]).toBe(1);
    const [message] = readEventMessages(box);
    expect(message).toMatchObject({
      schemeIdUri: ID3_EMSG_SCHEME,
      value: "",
      timescale: 48_000,
      presentationTime: 2 ** 40 + 960,
      id: 42,
    });
    expect(readId3UserText(message!.messageData, "amphi")).toBe(text);
    expect(readId3UserText(message!.messageData, "other")).toBeNull();
  });

  it("writes an ID3v2.4 header with synchsafe sizes", () => {
    const tag = id3UserText("amphi", "x".repeat(200));
    expect(Buffer.from(tag.subarray(0, 3)).toString("latin1")).toBe("ID3");
    expect(tag[3]).toBe(4);
    const size = (tag[6]! << 21) | (tag[7]! << 14) | (tag[8]! << 7) | tag[9]!;
    expect(size).toBe(tag.byteLength - 10);
    expect([...tag.subarray(6, 10)].every((b) => b < 0x80)).toBe(true);
  });

  it("ignores what is not an emsg and stops at a truncated box", () => {
    const box = eventMessageBox({
      schemeIdUri: ID3_EMSG_SCHEME,
      value: "",
      timescale: 1000,
      presentationTime: 5,
      eventDuration: 0,
      id: 1,
      messageData: new Uint8Array([1, 2]),
    });
    const free = Uint8Array.of(0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65);
    const bytes = new Uint8Array([...free, ...box, ...box.subarray(0, 12)]);
    expect(readEventMessages(bytes)).toHaveLength(1);
    expect(readId3UserText(new Uint8Array([1, 2, 3]), "amphi")).toBeNull();
  });
});
