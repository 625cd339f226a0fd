/**
 * The glass benchmark's marker beeps, and how a heard beep is matched to the one sent. Pure.
 *
 * Every beep carries its own tone: beep k plays `MARKER_HZ[k % MARKER_HZ.length]`. A heard
 * beep is identified by its spectrum (the strongest marker frequency, clearly above the
 * others) and matched to the latest beep of that frequency sent before it was heard. With 8
 * frequencies a beep every 2.5 s, a latency is reported right up to 20 s; a beep heard more
 * than `maxLatencyMs` after its match, or whose tone cannot be told, is counted apart, never
 * folded into the figures. A single tone every 2.5 s could not tell a 2.6 s latency from
 * 0.1 s (the next beep).
 */

/** Marker tones, Hz: 200 Hz apart (~9 FFT bins at 48 kHz / 2048), all well inside Opus's band. */
export const MARKER_HZ = [600, 800, 1000, 1200, 1400, 1600, 1800, 2000] as const;

export interface MarkerSchedule {
  /** Frames (20 ms) between beep starts. */
  readonly everyFrames: number;
  /** Frames a beep lasts. */
  readonly beepFrames: number;
}

/** The tone to send at `frame` (0 = silence): beep k starts at frame (k + 1) x everyFrames. */
export function markerAt(schedule: MarkerSchedule, frame: number): { hz: number; beep: number } {
  const beep = Math.floor(frame / schedule.everyFrames) - 1;
  const inBeep = beep >= 0 && frame % schedule.everyFrames < schedule.beepFrames;
  return inBeep ? { hz: markerHz(beep), beep } : { hz: 0, beep: -1 };
}

export function markerHz(beep: number): number {
  return MARKER_HZ[beep % MARKER_HZ.length] as number;
}

/** The longest latency that cannot alias to an earlier beep of the same tone. */
export function unambiguousMs(schedule: MarkerSchedule): number {
  return schedule.everyFrames * 20 * MARKER_HZ.length;
}

/**
 * Which marker a spectrum holds: `spectrumDb[i]` is the level (dB) of bin i, `binHz` wide
 * (an AnalyserNode's getFloatFrequencyData: sampleRate / fftSize). The marker whose
 * frequency (+-1 bin) is loudest, if it beats every other marker by `marginDb`; else null.
 */
export function identifyMarker(
  spectrumDb: ArrayLike<number>,
  binHz: number,
  marginDb = 10,
): number | null {
  const levels = MARKER_HZ.map((hz) => {
    const center = Math.round(hz / binHz);
    let peak = Number.NEGATIVE_INFINITY;
    for (let bin = center - 1; bin <= center + 1; bin++) {
      const level = spectrumDb[bin];
      if (level !== undefined && Number.isFinite(level) && level > peak) peak = level;
    }
    return peak;
  });
  let best = 0;
  for (let i = 1; i < levels.length; i++) if ((levels[i] ?? 0) > (levels[best] ?? 0)) best = i;
  const bestLevel = levels[best] ?? Number.NEGATIVE_INFINITY;
  if (!Number.isFinite(bestLevel)) return null;
  const runnerUp = Math.max(...levels.filter((_, i) => i !== best));
  return bestLevel - runnerUp >= marginDb ? (MARKER_HZ[best] as number) : null;
}

export interface SentBeep {
  readonly beep: number;
  /** Wall-clock ms of its first frame. */
  readonly at: number;
}

export interface HeardBeep {
  /** Wall-clock ms of its onset. */
  readonly at: number;
  /** The marker frequency identified, or null when the tone could not be told. */
  readonly hz: number | null;
}

export interface Matched {
  /** Latency of each heard beep matched to the beep it is, in the order heard. */
  readonly latencies: { beep: number; ms: number }[];
  /** Heard beeps whose tone could not be told. */
  readonly unidentified: number;
  /** Heard beeps with no beep of their tone sent in the `maxLatencyMs` before. */
  readonly unmatched: number;
}

/** Matches each heard beep to the latest beep of its tone sent before it (at most `maxLatencyMs`). */
export function matchBeeps(
  heard: readonly HeardBeep[],
  sent: readonly SentBeep[],
  maxLatencyMs: number,
): Matched {
  const latencies: { beep: number; ms: number }[] = [];
  let unidentified = 0;
  let unmatched = 0;
  for (const h of heard) {
    if (h.hz === null) {
      unidentified++;
      continue;
    }
    let match: SentBeep | undefined;
    for (const s of sent) {
      if (s.at <= h.at && markerHz(s.beep) === h.hz && (!match || s.at > match.at)) match = s;
    }
    if (match && h.at - match.at <= maxLatencyMs) {
      latencies.push({ beep: match.beep, ms: h.at - match.at });
    } else unmatched++;
  }
  return { latencies, unidentified, unmatched };
}
