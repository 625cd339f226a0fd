import { type RefObject, useEffect } from "react";

/** How often the element's `data-level` (and its <meter>'s value) are written. */
const attributeIntervalMs = 100;
/** Levels below this many dBFS show as silence; 0 dBFS fills the bar. */
const floorDb = -60;

/** RMS of a block of samples (-1..1) mapped to 0..1 on a dB scale. */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - floorDb) / -floorDb));
}

function write(element: HTMLElement, level: number) {
  element.dataset.level = level.toFixed(2);
  const meter = element.querySelector("meter");
  if (meter) meter.value = Math.round(level * 100) / 100;
}

/**
 * Drives a level meter from a microphone: WebAudio AnalyserNode RMS on every animation frame
 * (the bar's `--level`), and the meter's `data-level` (0..1) ten times a second.
 * Works on the DOM directly so the page does not re-render 60 times a second.
 */
export function useMicLevel(stream: MediaStream | null, meterRef: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const meter = meterRef.current;
    if (!meter) return;
    write(meter, 0);
    meter.style.setProperty("--level", "0");
    if (!stream || stream.getAudioTracks().length === 0) return;

    const context = new AudioContext();
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    void context.resume().catch(() => {});
    const samples = new Float32Array(analyser.fftSize);
    const measure = () => {
      analyser.getFloatTimeDomainData(samples);
      return levelOf(samples);
    };
    let shown = 0;
    let reported = 0;
    let frame = 0;

    // The bar, every frame. Fast up, slow down: a readable meter rather than a flicker.
    const paint = () => {
      shown = Math.max(measure(), shown * 0.9);
      meter.style.setProperty("--level", shown.toFixed(3));
      frame = requestAnimationFrame(paint);
    };
    frame = requestAnimationFrame(paint);
    // The attributes, on a timer: animation frames stop in background tabs.
    const timer = setInterval(() => {
      reported = Math.max(measure(), reported * 0.6);
      write(meter, reported);
    }, attributeIntervalMs);

    return () => {
      cancelAnimationFrame(frame);
      clearInterval(timer);
      source.disconnect();
      void context.close().catch(() => {});
      write(meter, 0);
      meter.style.setProperty("--level", "0");
    };
  }, [stream, meterRef]);
}
