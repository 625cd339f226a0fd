import { type RefObject, useEffect, useRef, useState } from "react";
import type { Attachment, AttachOptions, StreamPhase } from "./attachment";
import { attachHls, loadHls } from "./hls-attach";
import { attachNative, hlsMimeType } from "./native-attach";

export interface HlsPlayerOptions {
  /** A live LL-HLS stream: hls.js low-latency mode, and a latency figure. */
  lowLatency?: boolean;
  /** Play as soon as attached (after the click that asked for it). */
  autoPlay?: boolean;
  /** Each live-state cue the stream carries, with its media time (see AttachOptions). */
  onLiveCue?: (time: number, text: string) => void;
  /** Where each request goes (signed live URLs move to the newest window); see AttachOptions. */
  rewriteUrl?: (url: string) => string;
}

export interface HlsPlayer {
  /** `idle` while there is no URL. */
  phase: "idle" | StreamPhase;
  /** Seconds behind live, to one decimal, refreshed every second; null when unknown. */
  latency: number | null;
  /** Why it failed, when it did. */
  error: string | null;
  /** The browser refused to start without a click: press play again. */
  blocked: boolean;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Plays an HLS playlist through an <audio> element: hls.js where Media Source Extensions
 * exist, the browser's own HLS otherwise (Safari on older iPhones). A null URL detaches.
 */
export function useHlsPlayer(
  audioRef: RefObject<HTMLAudioElement | null>,
  url: string | null,
  { lowLatency = false, autoPlay = false, onLiveCue, rewriteUrl }: HlsPlayerOptions = {},
): HlsPlayer {
  // The latest callback, without attaching the stream again when it changes.
  const onCue = useRef(onLiveCue);
  onCue.current = onLiveCue;
  const rewrite = useRef(rewriteUrl);
  rewrite.current = rewriteUrl;
  const [phase, setPhase] = useState<HlsPlayer["phase"]>("idle");
  const [latency, setLatency] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    const audio = audioRef.current;
    setError(null);
    setBlocked(false);
    setLatency(null);
    if (!url || !audio) {
      setPhase("idle");
      return;
    }
    setPhase("loading");
    let disposed = false;
    let attachment: Attachment | null = null;
    const options: AttachOptions = {
      lowLatency,
      autoPlay,
      onPhase: (next, message) => {
        if (disposed) return;
        setPhase(next);
        setError(message ?? null);
        if (next === "ready") setBlocked(false);
      },
      onBlocked: () => {
        if (!disposed) setBlocked(true);
      },
      onLiveCue: (time, text) => {
        if (!disposed) onCue.current?.(time, text);
      },
      rewriteUrl: (requested) => rewrite.current?.(requested) ?? requested,
    };
    const fail = (message: string) => options.onPhase("failed", message);
    const native = audio.canPlayType(hlsMimeType) !== "";

    loadHls()
      .then((Hls) => {
        if (disposed) return;
        if (Hls.isSupported()) attachment = attachHls(Hls, audio, url, options);
        else if (native) attachment = attachNative(audio, url, options);
        else fail("This browser can't play this audio. Try a recent Chrome, Firefox or Safari.");
      })
      .catch(() => {
        if (disposed) return;
        if (native) attachment = attachNative(audio, url, options);
        else fail("The player didn't load. Check your connection and reload the page.");
      });

    const timer = lowLatency
      ? setInterval(() => {
          const value = attachment?.latency() ?? null;
          setLatency(value === null ? null : round1(value));
        }, 1000)
      : undefined;

    return () => {
      disposed = true;
      clearInterval(timer);
      attachment?.destroy();
    };
  }, [audioRef, url, lowLatency, autoPlay]);

  return { phase, latency, error, blocked };
}
