/**
 * Box by box, as GPAC's mp4box.js (an independent ISO BMFF parser) reads them: the init
 * segment's fields and the fragments' timing, sizes and data offsets.
 */
import fc from "fast-check";
import { createFile, type ISOFile, MP4BoxBuffer } from "mp4box";
import { describe, expect, test } from "vitest";
import { initSegment } from "./init-segment.ts";
import { mediaFragment } from "./media-fragment.ts";

function parse(...chunks: Uint8Array[]): ISOFile {
  const file = createFile();
  const errors: string[] = [];
  file.onError = (module, message) => errors.push(`${module}: ${message}`);
  let fileStart = 0;
  for (const chunk of chunks) {
    const copy = chunk.slice().buffer;
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, fileStart));
    fileStart += chunk.byteLength;
  }
  file.flush();
  expect(errors).toEqual([]);
  return file;
}

const opus = { channels: 1, sampleRate: 48_000, preSkip: 312, trackId: 1 };
const init = initSegment(opus);

describe("initSegment", () => {
  const file = parse(init);
  const trak = file.moov.traks[0]!;
  const stbl = trak.mdia.minf.stbl;

  test("ftyp: major iso6, compatible iso6, cmfc and Opus", () => {
    expect(file.ftyp.major_brand).toBe("iso6");
    expect(file.ftyp.compatible_brands).toEqual(["iso6", "cmfc", "Opus"]);
    expect(file.boxes.map((b) => b.type)).toEqual(["ftyp", "moov"]);
  });

  test("one audio track, timescale 48000 in mvhd and mdhd, language und", () => {
    expect(file.moov.traks).toHaveLength(1);
    expect(file.moov.mvhd.timescale).toBe(48_000);
    expect(file.moov.mvhd.next_track_id).toBe(2);
    expect(trak.tkhd.track_id).toBe(1);
    expect(trak.tkhd.flags).toBe(3);
    expect(trak.mdia.mdhd.timescale).toBe(48_000);
    const language = trak.mdia.mdhd.language; // three 5-bit letters, each minus 0x60
    const letters = [10, 5, 0].map((shift) =>
      String.fromCharCode(((language >> shift) & 31) + 0x60),
    );
    expect(letters.join("")).toBe("und");
    expect(trak.mdia.hdlr.handler).toBe("soun");
    expect(trak.mdia.minf.smhd).toBeDefined();
    expect((trak.mdia.minf.dinf as any).dref.entries[0].flags).toBe(1);
  });

  test("an Opus sample entry with a dOps box (Opus-ISOBMFF §4.3.1, §4.3.2)", () => {
    const entry = stbl.stsd.entries[0] as any;
    expect(stbl.stsd.entries).toHaveLength(1);
    expect(entry.type).toBe("Opus");
    expect(entry.channel_count).toBe(1);
    expect(entry.samplesize).toBe(16);
    expect(entry.samplerate).toBe(48_000);
    expect(entry.data_reference_index).toBe(1);
    expect(entry.dOps).toMatchObject({
      Version: 0,
      OutputChannelCount: 1,
      PreSkip: 312,
      InputSampleRate: 48_000,
      OutputGain: 0,
      ChannelMappingFamily: 0,
    });
  });

  test("empty sample tables, a roll group of -4 (80 ms of 20 ms packets), mvex/trex", () => {
    expect(stbl.stts.sample_counts).toEqual([]);
    expect(stbl.stsc.first_chunk).toEqual([]);
    expect(stbl.stsz.sample_sizes).toEqual([]);
    expect(stbl.stco.chunk_offsets).toEqual([]);
    expect(stbl.sgpds[0]!.grouping_type).toBe("roll");
    expect((stbl.sgpds[0]!.entries[0] as any).roll_distance).toBe(-4);
    expect(stbl.sbgps[0]!.entries).toEqual([]);
    const trex = file.moov.mvex!.trexs[0]!;
    expect(trex.track_id).toBe(1);
    expect(trex.default_sample_description_index).toBe(1);
    expect(trex.default_sample_flags).toBe(0x0200_0000);
  });

  test("an edit list that trims the pre-skip (Opus-ISOBMFF §4.4)", () => {
    expect(trak.edts!.elst!.entries).toEqual([
      { segment_duration: 0, media_time: 312, media_rate_integer: 1, media_rate_fraction: 0 },
    ]);
    const at90k = parse(initSegment({ ...opus, timescale: 90_000, frameSamples: 480 }));
    expect(at90k.moov.traks[0]!.edts!.elst!.entries[0]!.media_time).toBe(585);
    expect(at90k.moov.traks[0]!.mdia.mdhd.timescale).toBe(90_000);
    const sgpd = at90k.moov.traks[0]!.mdia.minf.stbl.sgpds[0]!;
    expect((sgpd.entries[0] as any).roll_distance).toBe(-8);
  });

  test("stereo and the track id pass through; a bad track id is refused", () => {
    const stereo = parse(initSegment({ ...opus, channels: 2, trackId: 7 }));
    expect((stereo.moov.traks[0]!.mdia.minf.stbl.stsd.entries[0] as any).channel_count).toBe(2);
    expect(stereo.moov.traks[0]!.tkhd.track_id).toBe(7);
    expect(stereo.moov.mvhd.next_track_id).toBe(8);
    expect(() => initSegment({ ...opus, trackId: 0 })).toThrow(RangeError);
  });
});

const packet = (size: number, fill: number) => new Uint8Array(size).fill(fill);

describe("mediaFragment", () => {
  test("moof (mfhd, traf: tfhd, tfdt v1, trun, sbgp) + mdat, offsets into the mdat", () => {
    const samples = [packet(80, 1), packet(3, 2), packet(120, 3)].map((data) => ({
      data,
      duration: 960,
    }));
    const fragment = mediaFragment({ sequenceNumber: 9, baseMediaDecodeTime: 2 ** 40, samples });
    const file = parse(init, fragment);
    const moof = file.moofs[0]!;
    const traf = moof.trafs[0]!;
    expect(moof.mfhd.sequence_number).toBe(9);
    expect(traf.tfhd.track_id).toBe(1);
    expect(traf.tfhd.flags).toBe(0x020000);
    expect(traf.tfdt.version).toBe(1);
    expect(traf.tfdt.baseMediaDecodeTime).toBe(2 ** 40);
    const trun = traf.truns[0]!;
    expect(trun.flags).toBe(0x000301);
    expect(trun.sample_duration).toEqual([960, 960, 960]);
    expect(trun.sample_size).toEqual([80, 3, 120]);
    expect(trun.data_offset).toBe(moof.size + 8);
    expect(traf.sbgps[0]!.entries).toEqual([{ sample_count: 3, group_description_index: 1 }]);
    expect(fragment.subarray(moof.size + 8, moof.size + 88)).toEqual(packet(80, 1));
    expect(fragment.byteLength).toBe(moof.size + 8 + 203);
  });

  test("refuses an empty run and non-integer durations", () => {
    expect(() => mediaFragment({ sequenceNumber: 1, baseMediaDecodeTime: 0, samples: [] })).toThrow(
      RangeError,
    );
    const samples = [{ data: packet(1, 0), duration: 0.5 }];
    expect(() => mediaFragment({ sequenceNumber: 1, baseMediaDecodeTime: 0, samples })).toThrow(
      RangeError,
    );
  });

  test("property: any run of packets reads back with its bytes, sizes and timing", () => {
    const sampleArb = fc.record({
      data: fc.uint8Array({ minLength: 1, maxLength: 400 }),
      duration: fc.constantFrom(120, 240, 480, 960, 1920, 2880),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(sampleArb, { minLength: 1, maxLength: 30 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (runs) => {
          let decodeTime = 0;
          const fragments = runs.map((samples, index) => {
            const fragment = mediaFragment({
              sequenceNumber: index + 1,
              baseMediaDecodeTime: decodeTime,
              samples,
            });
            decodeTime += samples.reduce((sum, sample) => sum + sample.duration, 0);
            return fragment;
          });
          const file = parse(init, ...fragments);
          expect(file.moofs).toHaveLength(runs.length);
          let start = init.byteLength;
          let expectedTime = 0;
          runs.forEach((samples, index) => {
            const traf = file.moofs[index]!.trafs[0]!;
            const trun = traf.truns[0]!;
            expect(traf.tfdt.baseMediaDecodeTime).toBe(expectedTime);
            expect(trun.sample_size).toEqual(samples.map((s) => s.data.byteLength));
            expect(trun.sample_duration).toEqual(samples.map((s) => s.duration));
            let offset = trun.data_offset;
            const fragment = fragments[index]!;
            for (const sample of samples) {
              expect(fragment.subarray(offset, offset + sample.data.byteLength)).toEqual(
                sample.data,
              );
              offset += sample.data.byteLength;
            }
            expect(offset).toBe(fragment.byteLength);
            start += fragment.byteLength;
            expectedTime += samples.reduce((sum, sample) => sum + sample.duration, 0);
          });
          expect(start).toBe(init.byteLength + fragments.reduce((n, f) => n + f.byteLength, 0));
        },
      ),
      { numRuns: 60 },
    );
  });
});
