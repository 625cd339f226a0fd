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
