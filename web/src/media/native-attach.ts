import type { Attachment, AttachOptions } from "./attachment";
import { playAudio } from "./play";
import { reconnectDelay } from "./reconnect-policy";

export const hlsMimeType = "application/vnd.apple.mpegurl";

/** Safari's `getStartDate()`: the EXT-X-PROGRAM-DATE-TIME of the stream's time zero. */
type WithStartDate = HTMLMediaElement & { getStartDate?: () => Date };

function nativeLatency(audio: WithStartDate): number | null {
  const start = audio.getStartDate?.().getTime();
  if (start === undefined || Number.isNaN(start) || audio.paused) return null;
  const latency = (Date.now() - (start + audio.currentTime * 1000)) / 1000;
  return latency > 0 && latency < 3600 ? latency : null;
}

/** Plays HLS natively (Safari without MSE): the element fetches it; errors reload the URL. */
export function attachNative(
  audio: HTMLAudioElement,
  url: string,
  options: AttachOptions,
): Attachment {
  let disposed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const load = (play: boolean) => {
    audio.src = url;
    audio.load();
    if (play) playAudio(audio, options.onBlocked);
  };
  const onError = () => {
    if (disposed) return;
    const wasPlaying = options.autoPlay || !audio.paused;
    options.onPhase("reconnecting");
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!disposed) load(wasPlaying);
    }, reconnectDelay(attempt++));
  };
  const onReady = () => {
    attempt = 0;
    options.onPhase("ready");
  };

  audio.addEventListener("error", onError);
  audio.addEventListener("canplay", onReady);
  load(options.autoPlay);

  return {
    latency: () => (options.lowLatency ? nativeLatency(audio) : null),
    destroy: () => {
      disposed = true;
      clearTimeout(timer);
      audio.removeEventListener("error", onError);
      audio.removeEventListener("canplay", onReady);
      audio.removeAttribute("src");
      audio.load();
    },
  };
}
