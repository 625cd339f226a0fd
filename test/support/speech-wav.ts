import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A WAV file of synthetic speech (espeak-ng, resampled to 48 kHz mono by sox) for Chromium's
 * fake microphone (`--use-file-for-fake-audio-capture`). Both tools come from Debian
 * (scripts/ensure-system-deps.sh installs them).
 */
export function speechWav(
  text = "Hello from the Amphi stage. This is a test of live audio.",
  dir?: string,
): string {
  const folder = dir ?? mkdtempSync(join(tmpdir(), "amphi-wav-"));
  const raw = join(folder, "speech-raw.wav");
  const out = join(folder, "speech.wav");
  if (existsSync(out)) return out;
  execFileSync("espeak-ng", ["-s", "150", "-w", raw, text]);
  // Loud enough for the speaking detector, with a little silence after each sentence.
  execFileSync("sox", [
    raw,
    "-r",
    "48000",
    "-c",
    "1",
    "-b",
    "16",
    out,
    "gain",
    "-n",
    "-3",
    "pad",
    "0",
    "0.5",
  ]);
  return out;
}

/**
 * A WAV of voice-like bursts: `onSeconds` of a warbling tone, then `offSeconds` of silence,
 * looped by Chromium's fake microphone. Every burst is a clear onset a listener's page can
 * time, with silence long enough for the speaking indicator to go off in between.
 */
export function burstWav(dir: string, onSeconds = 1, offSeconds = 1.5): string {
  const out = join(dir, `burst-${onSeconds}-${offSeconds}.wav`);
  if (existsSync(out)) return out;
  execFileSync("sox", [
    "-n",
    "-r",
    "48000",
    "-c",
    "1",
    "-b",
    "16",
    out,
    "synth",
    String(onSeconds),
    "sine",
    "300-500",
    "gain",
    "-6",
    "pad",
    "0",
    String(offSeconds),
  ]);
  return out;
}
