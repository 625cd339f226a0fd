import { createOpusEncoder } from "../../src/media/codec/opus-codec.ts";
import { sine } from "../../src/media/codec/signals.ts";
import type { RtpAudioPacket } from "../../src/media/jitter/jitter-buffer.ts";

/**
 * A speaker's microphone in a test: a sine tone encoded as 20 ms Opus packets with RTP
 * sequence numbers and timestamps, sent in real time (drift-free) until `stop()`.
 */
export function startToneSource(
  frequency: number,
  send: (packet: RtpAudioPacket) => void,
  options: { amplitude?: number; startSeq?: number } = {},
): { stop(): void; sent: () => number } {
  const encoder = createOpusEncoder({ bitrate: 32_000 });
  const amplitude = options.amplitude ?? 8000;
  let n = 0;
  const seq0 = options.startSeq ?? 1000;
  const started = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / 20);
    while (n <= due) {
      const payload = encoder.encode(sine(frequency, amplitude, 960, n * 960));
      send({ seq: (seq0 + n) & 0xffff, timestamp: (n * 960) >>> 0, payload });
      n++;
    }
  }, 10);
  return { stop: () => clearInterval(timer), sent: () => n };
}
