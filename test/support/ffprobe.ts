/**
 * FFmpeg as an independent oracle for the media packager: it encodes real Opus (as Ogg, read
 * back here with a small page parser, RFC 3533 + RFC 7845) and probes and decodes what the
 * packager writes. scripts/ensure-system-deps.sh installs Debian's ffmpeg for `npm test`.
 */
import { spawn, spawnSync } from "node:child_process";

/** True when both ffmpeg and ffprobe run on this machine. */
export function hasFfmpeg(): boolean {
  return ["ffmpeg", "ffprobe"].every(
    (tool) => spawnSync(tool, ["-version"], { stdio: "ignore" }).status === 0,
  );
}

export interface ToolRun {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

function run(tool: string, args: string[]): ToolRun {
  const result = spawnSync(tool, args, { maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString("utf8") };
}

export interface OggOpus {
  /** The identification header (RFC 7845 §5.1). */
  head: { channels: number; preSkip: number; inputSampleRate: number; outputGain: number };
  /** The audio packets, headers excluded. */
  packets: Uint8Array[];
}

/**
 * Encodes a sine tone with libopus the way the Amphi mix does (mono, 48 kHz, 20 ms frames)
 * and returns the Ogg Opus file; `parseOggOpus` takes its packets out.
 */
export function encodeSineOgg(seconds: number, bitrate = "32k"): Uint8Array {
  const { status, stdout, stderr } = run("ffmpeg", [
    ...["-v", "error", "-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`],
    ...["-c:a", "libopus", "-b:a", bitrate, "-frame_duration", "20", "-ac", "1", "-ar", "48000"],
    ...["-f", "ogg", "pipe:1"],
  ]);
  if (status !== 0) throw new Error(`ffmpeg could not encode Opus: ${stderr}`);
  return new Uint8Array(stdout);
}

/** The packets of the first logical stream of an Ogg file (RFC 3533 §6 lacing). */
export function readOggPackets(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const packets: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  let offset = 0;
  while (offset + 27 <= file.byteLength) {
    if (view.getUint32(offset) !== 0x4f676753) throw new Error(`no OggS capture at ${offset}`);
    const segments = view.getUint8(offset + 26);
    const table = file.subarray(offset + 27, offset + 27 + segments);
    let body = offset + 27 + segments;
    for (const lacing of table) {
      pending.push(file.subarray(body, body + lacing));
      body += lacing;
      if (lacing < 255) {
        packets.push(concatBytes(pending));
        pending = [];
      }
    }
    offset = body;
  }
  return packets;
}

/** Splits an Ogg Opus file into its identification header and audio packets (RFC 7845 §3). */
export function parseOggOpus(file: Uint8Array): OggOpus {
  const [head, tags, ...packets] = readOggPackets(file);
  const magic = (bytes: Uint8Array | undefined) =>
    bytes ? new TextDecoder().decode(bytes.subarray(0, 8)) : "";
  if (!head || magic(head) !== "OpusHead" || magic(tags) !== "OpusTags") {
    throw new Error("not an Ogg Opus stream");
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return {
    head: {
      channels: view.getUint8(9),
      preSkip: view.getUint16(10, true),
      inputSampleRate: view.getUint32(12, true),
      outputGain: view.getInt16(16, true),
    },
    packets,
  };
}

export interface ProbeResult {
  streams: Array<Record<string, unknown>>;
  packets: Array<{ pts: number; duration?: number; size: number; flags: string }>;
}

/** ffprobe's view of a media file: its streams and every packet, as numbers. */
export function probe(path: string): ProbeResult {
  const { status, stdout, stderr } = run("ffprobe", [
    ...["-v", "error", "-of", "json", "-show_streams", "-show_packets", path],
  ]);
  if (status !== 0) throw new Error(`ffprobe failed on ${path}: ${stderr}`);
  const parsed = JSON.parse(stdout.toString("utf8")) as {
    streams?: Array<Record<string, unknown>>;
    packets?: Array<Record<string, string | number>>;
  };
  return {
    streams: parsed.streams ?? [],
    packets: (parsed.packets ?? []).map((packet) => ({
      pts: Number(packet.pts),
      duration: packet.duration === undefined ? undefined : Number(packet.duration),
      size: Number(packet.size),
      flags: String(packet.flags ?? ""),
    })),
  };
}

/** ffprobe's view of a file's timeline: where it starts and how long it lasts, in seconds. */
export function probeFormat(path: string): { startTime: number; duration: number } {
  const { status, stdout, stderr } = run("ffprobe", [
    ...["-v", "error", "-of", "json", "-show_format", path],
  ]);
  if (status !== 0) throw new Error(`ffprobe failed on ${path}: ${stderr}`);
  const { format } = JSON.parse(stdout.toString("utf8")) as {
    format: { start_time: string; duration: string };
  };
  return { startTime: Number(format.start_time), duration: Number(format.duration) };
}

/** Decodes a file fully to nowhere; a clean file gives status 0 and nothing on stderr. */
export function decodeToNull(path: string): ToolRun {
  return run("ffmpeg", ["-v", "error", "-xerror", "-i", path, "-f", "null", "-"]);
}

/** Decodes a file to raw mono float PCM at 48 kHz, for checks on the sound itself. */
export function decodeToPcm(path: string): Float32Array {
  const { status, stdout, stderr } = run("ffmpeg", [
    ...["-v", "error", "-i", path, "-f", "f32le", "-ac", "1", "-ar", "48000", "pipe:1"],
  ]);
  if (status !== 0) throw new Error(`ffmpeg could not decode ${path}: ${stderr}`);
  const bytes = new Uint8Array(stdout);
  return new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Runs ffmpeg without blocking the event loop (for reading a server in this same process),
 * resolving with its exit code and what it printed on stderr.
 */
export function ffmpegAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}
