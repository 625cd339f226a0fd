import { describe, expect, it } from "vitest";
import { renderMediaPlaylist } from "../llhls/index.ts";
import { HlsPackager } from "./hls-packager.ts";

const frame = (n: number) => ({
  data: new Uint8Array([0xf8, n & 0xff, 1, 2]),
  durationSamples: 960,
});

describe("HlsPackager", () => {
  it("makes a 0.5 s part of every 25 frames and a segment of every 4 parts", () => {
    const packager = new HlsPackager({ partTarget: 0.5, segmentTarget: 2 });
    const parts = [];
    for (let n = 0; n < 200; n++) {
      const part = packager.push(frame(n), 1_000 + n * 20);
      if (part) parts.push(part);
    }
    expect(parts).toHaveLength(8);
    expect(parts.map((p) => p.uri).slice(0, 5)).toEqual([
      "part-0-0.m4s",
      "part-0-1.m4s",
      "part-0-2.m4s",
      "part-0-3.m4s",
      "part-1-0.m4s",
    ]);
    expect(parts.every((p) => p.durationSeconds === 0.5)).toBe(true);
    expect(parts[0]!.startedAt).toBe(1_000);
    const closed = parts.filter((p) => p.closed);
    expect(closed.map((p) => p.closed!.segment.uri)).toEqual(["seg-0.m4s", "seg-1.m4s"]);
    // A segment's bytes are its parts' fragments, in order.
    const seg0 = closed[0]!.closed!.bytes;
    expect(seg0.length).toBe(parts.slice(0, 4).reduce((n, p) => n + p.bytes.length, 0));
    expect(
      Buffer.from(seg0.subarray(0, parts[0]!.bytes.length)).equals(Buffer.from(parts[0]!.bytes)),
    ).toBe(true);
  });

  it("ends with a short last part and ENDLIST", () => {
    const packager = new HlsPackager();
    for (let n = 0; n < 30; n++) packager.push(frame(n), n * 20);
    const last = packager.end();
    expect(last?.durationSeconds).toBeCloseTo(0.1);
    expect(packager.snapshot().ended).toBe(true);
  });

  it("resumes a timeline after a restart: media sequence and decode time continue", () => {
    const packager = new HlsPackager({ resumeFrom: { mediaSequence: 7, decodeTime: 96_000 } });
    let first = null;
    for (let n = 0; n < 25 && !first; n++) first = packager.push(frame(n), n * 20);
    expect(first?.uri).toBe("part-7-0.m4s");
    // tfdt (version 1) carries the decode time: find it in the fragment.
    const bytes = Buffer.from(first!.bytes);
    const at = bytes.indexOf("tfdt");
    expect(Number(bytes.readBigUInt64BE(at + 8))).toBe(96_000);
  });

  it("a resumed stream starts with a discontinuity and says where a later resumer starts", () => {
    const fresh = new HlsPackager();
    let part = null;
    for (let n = 0; n < 25 && !part; n++) part = fresh.push(frame(n), n * 20);
    expect(part).toMatchObject({ discontinuity: false });
    expect(part?.position).toEqual({
      mediaSequence: 1,
      decodeTime: 24_000,
      discontinuitySequence: 0,
    });

    const resumed = new HlsPackager({
      resumeFrom: { mediaSequence: 7, decodeTime: 96_000, discontinuitySequence: 2 },
    });
    const parts = [];
    for (let n = 0; n < 200; n++) {
      const p = resumed.push(frame(n), n * 20);
      if (p) parts.push(p);
    }
    expect(parts.map((p) => p.discontinuity)).toEqual([true, ...parts.slice(1).map(() => false)]);
    expect(parts.at(-1)?.position.discontinuitySequence).toBe(3);
    expect(parts.at(-1)?.position.mediaSequence).toBe((parts.at(-1)?.msn ?? 0) + 1);
    const text = renderMediaPlaylist(resumed.snapshot());
    expect(text).toContain("#EXT-X-MEDIA-SEQUENCE:7\n#EXT-X-DISCONTINUITY-SEQUENCE:2\n");
    // The tag comes before the resumed segment's date and parts (§4.4.4.9).
    expect(text).toMatch(
      /#EXT-X-MAP:URI="init.mp4"\n#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME/,
    );
    expect(text.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
  });

  it("cuts parts at whole frames within the part target", () => {
    const packager = new HlsPackager({ partTarget: 0.25, segmentTarget: 1 });
    let part = null;
    for (let n = 0; n < 20 && !part; n++) part = packager.push(frame(n), n * 20);
    expect(part?.durationSeconds).toBeCloseTo(0.24);
  });
});

function topLevelTypes(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let at = 0; at + 8 <= bytes.byteLength; at += view.getUint32(at)) {
    out.push(Buffer.from(bytes.subarray(at + 4, at + 8)).toString("latin1"));
  }
  return out;
}

describe("HlsPackager timed metadata", () => {
  it("writes each frame's cue as an emsg before the part's moof, at that frame's media time", async () => {
    const { readEventMessages, ID3_EMSG_SCHEME } = await import("../fmp4/emsg.ts");
    const { readId3UserText } = await import("../fmp4/id3.ts");
    const packager = new HlsPackager({
      partTarget: 0.5,
      resumeFrom: { mediaSequence: 3, decodeTime: 480_000, discontinuitySequence: 1 },
    });
    const parts = [];
    for (let n = 0; n < 50; n++) {
      const cue = n === 0 || n === 7 || n === 30 ? `{"v":1,"n":${n}}` : undefined;
      const part = packager.push({ ...frame(n), ...(cue ? { cue } : {}) }, n * 20);
      if (part) parts.push(part);
    }
    expect(parts).toHaveLength(2);
    const first = readEventMessages(parts[0]!.bytes);
    expect(first.map((m) => m.presentationTime)).toEqual([480_000, 480_000 + 7 * 960]);
    expect(first.every((m) => m.schemeIdUri === ID3_EMSG_SCHEME && m.timescale === 48_000)).toBe(
      true,
    );
    expect(first.map((m) => readId3UserText(m.messageData, "amphi"))).toEqual([
      '{"v":1,"n":0}',
      '{"v":1,"n":7}',
    ]);
    // The emsg boxes come first; the fragment (moof + mdat) follows them.
    const types = topLevelTypes(parts[0]!.bytes);
    expect(types).toEqual(["emsg", "emsg", "moof", "mdat"]);
    const second = readEventMessages(parts[1]!.bytes);
    expect(second.map((m) => m.presentationTime)).toEqual([480_000 + 30 * 960]);
    expect(second[0]!.id).toBe((480_000 + 30 * 960) / 960);
  });

  it("says when the next frame starts a part", () => {
    const packager = new HlsPackager({ partTarget: 0.5 });
    expect(packager.partStarting).toBe(true);
    packager.push(frame(0), 0);
    expect(packager.partStarting).toBe(false);
    for (let n = 1; n < 25; n++) packager.push(frame(n), n * 20);
    expect(packager.partStarting).toBe(true);
  });
});
