/**
 * Opus specifics of the ISO BMFF encapsulation ("Encapsulation of Opus in ISO Base Media File
 * Format", version 1.0.0, cited here as "Opus-ISOBMFF") and of the Opus packet itself
 * (RFC 6716).
 */
import { box, fullBox } from "./box.ts";
import { fourcc, i16, u8, u16, u32, zeros } from "./bytes.ts";

/** Opus always decodes at 48 kHz (RFC 7845 §5.1), whatever the input rate was. */
export const OPUS_DECODE_RATE = 48_000;

/** A mapping table for more than two channels (Opus-ISOBMFF §4.3.2 `ChannelMappingTable`). */
export interface OpusChannelMapping {
  readonly family: number;
  readonly streamCount: number;
  readonly coupledCount: number;
  /** One entry per output channel. */
  readonly mapping: readonly number[];
}

export interface OpusConfig {
  /** Output channel count: 1 or 2 unless `channelMapping` is given. */
  readonly channels: number;
  /** The encoder's input sample rate, informative only (RFC 7845 §5.1 "Input Sample Rate"). */
  readonly sampleRate: number;
  /** Priming samples at 48 kHz to discard (RFC 7845 §5.1 "Pre-skip"); libopus uses 312. */
  readonly preSkip: number;
  /** Q7.8 gain in dB (RFC 7845 §5.1 "Output Gain"); 0 by default. */
  readonly outputGain?: number;
  /** Needed for more than two channels; family 0 (mono/stereo) otherwise. */
  readonly channelMapping?: OpusChannelMapping;
}

/**
 * The Opus Specific Box `dOps` (Opus-ISOBMFF §4.3.2): version 0, then the Ogg Opus
 * identification header fields, big-endian, with a mapping table only when the family is
 * not 0.
 */
export function dOpsBox(config: OpusConfig): Uint8Array {
  const mapping = config.channelMapping;
  if (!mapping && (config.channels < 1 || config.channels > 2)) {
    throw new RangeError("more than two channels need a channelMapping (RFC 7845 §5.1.1)");
  }
  if (mapping && mapping.mapping.length !== config.channels) {
    throw new RangeError("channelMapping.mapping needs one entry per output channel");
  }
  const fields = [
    u8(0),
    u8(config.channels),
    u16(config.preSkip),
    u32(config.sampleRate),
    i16(config.outputGain ?? 0),
    u8(mapping?.family ?? 0),
  ];
  if (mapping && mapping.family !== 0) {
    fields.push(u8(mapping.streamCount), u8(mapping.coupledCount), ...mapping.mapping.map(u8));
  }
  return box("dOps", ...fields);
}

/**
 * The `Opus` sample entry (Opus-ISOBMFF §4.3.1): an AudioSampleEntry (ISO/IEC 14496-12
 * §12.2.3) with channelcount = OutputChannelCount, samplesize = 16, samplerate = 48000 << 16,
 * followed by exactly one `dOps`.
 */
export function opusSampleEntry(config: OpusConfig): Uint8Array {
  return box(
    "Opus",
    zeros(6), // SampleEntry reserved
    u16(1), // data_reference_index: the one `url ` entry of `dref`
    zeros(8), // AudioSampleEntry reserved
    u16(config.channels),
    u16(16), // samplesize
    zeros(4), // pre_defined, reserved
    u32(OPUS_DECODE_RATE * 0x10000), // samplerate as 16.16 fixed point
    dOpsBox(config),
  );
}

/**
 * The `roll` sample group description (Opus-ISOBMFF §4.3.6.2): Opus needs 80 ms of pre-roll
 * after random access, signalled as a negative roll_distance counted in samples (packets).
 */
export function rollDistance(frameSamples: number): number {
  if (!Number.isInteger(frameSamples) || frameSamples <= 0) {
    throw new RangeError(`frameSamples must be a positive integer, got ${frameSamples}`);
  }
  return -Math.ceil((0.08 * OPUS_DECODE_RATE) / frameSamples);
}

/** `sgpd` version 1 with one AudioRollRecoveryEntry (ISO/IEC 14496-12 §8.9.3, §10.1). */
export function rollGroupDescription(distance: number): Uint8Array {
  return fullBox("sgpd", 1, 0, fourcc("roll"), u32(2), u32(1), i16(distance));
}

/**
 * `sbgp` mapping `sampleCount` samples to roll group entry 1 (ISO/IEC 14496-12 §8.9.2); with
 * no samples it is the empty box the `stbl` of an initial movie carries.
 */
export function rollSampleToGroup(sampleCount: number): Uint8Array {
  const entries = sampleCount > 0 ? [u32(1), u32(sampleCount), u32(1)] : [u32(0)];
  return fullBox("sbgp", 0, 0, fourcc("roll"), ...entries);
}

/** Samples per frame at 48 kHz for each TOC configuration number (RFC 6716 §3.1, Table 2). */
function frameSamples(config: number): number {
  if (config < 12) return [480, 960, 1920, 2880][config % 4] ?? 0; // SILK-only: 10/20/40/60 ms
  if (config < 16) return [480, 960][config % 2] ?? 0; // Hybrid: 10/20 ms
  return [120, 240, 480, 960][config % 4] ?? 0; // CELT-only: 2.5/5/10/20 ms
}

/**
 * The duration of one Opus packet in 48 kHz samples, read from its TOC byte and, for code 3,
 * its frame count byte (RFC 6716 §3.1, §3.2.5). Throws on a packet RFC 6716 calls malformed
 * (empty, no frame count, or longer than 120 ms: §3.4 R5).
 */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) throw new RangeError("an Opus packet has at least a TOC byte");
  const code = toc & 0x03;
  let frames: number;
  if (code === 0) frames = 1;
  else if (code !== 3) frames = 2;
  else {
    const countByte = packet[1];
    if (countByte === undefined) throw new RangeError("a code 3 Opus packet needs a count byte");
    frames = countByte & 0x3f;
  }
  const samples = frames * frameSamples(toc >> 3);
  if (samples === 0 || samples > 5760) {
    throw new RangeError(`an Opus packet lasts 2.5 to 120 ms; this one has ${frames} frames`);
  }
  return samples;
}

/**
 * Whether an Opus packet can start decoding on its own. Always true: "every Opus sample is a
 * sync sample" (Opus-ISOBMFF §4.2, §4.3.6.1), so every part that starts with one is
 * INDEPENDENT=YES (RFC 8216bis §4.4.4.9). The decoder still converges over 80 ms of pre-roll.
 */
export function isIndependent(_packet?: Uint8Array): true {
  return true;
}
