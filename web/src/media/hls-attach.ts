import type Hls from "hls.js";
import type { ErrorData } from "hls.js";
import { backoffDelay } from "../live/backoff";
import type { Attachment, AttachOptions } from "./attachment";
import { playAudio } from "./play";

export type HlsClass = typeof Hls;

let loading: Promise<HlsClass> | null = null;

/** hls.js (its light build) is fetched the first time a player needs it, then kept. */
export function loadHls(): Promise<HlsClass> {
  loading ??= import("hls.js/light").then((module) => module.default);
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** Media errors this close together mean recoverMediaError() is not enough: start over. */
const mediaErrorWindowMs = 10_000;
/** A live listener this far behind the edge after an outage jumps back to it. */
const maxLagSeconds = 6;

/**
 * Plays an HLS URL through hls.js. Live streams use LL-HLS (hls.js's defaults: the target
 * latency comes from the playlist's PART-HOLD-BACK) and speed up a little to catch up.
 * Fatal network errors reload after a backoff, media errors are recovered in place.
 */
export function attachHls(
  Hls: HlsClass,
  audio: HTMLAudioElement,
  url: string,
  options: AttachOptions,
): Attachment {
  let hls: Hls | null = null;
  let disposed = false;
  let attempt = 0;
  let recovering = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let mediaErrors: number[] = [];
  const { Events, ErrorTypes, ErrorDetails } = Hls;
  const manifestErrors: string[] = [
    ErrorDetails.MANIFEST_LOAD_ERROR,
    ErrorDetails.MANIFEST_LOAD_TIMEOUT,
    ErrorDetails.MANIFEST_PARSING_ERROR,
  ];

  const later = (action: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!disposed) action();
    }, backoffDelay(attempt++));
  };

  const catchUp = (instance: Hls) => {
    const edge = instance.liveSyncPosition;
    if (options.lowLatency && edge !== null && edge - audio.currentTime > maxLagSeconds) {
      audio.currentTime = edge;
    }
  };

  const onError = (instance: Hls, data: ErrorData) => {
    if (instance !== hls || !data.fatal) return;
    recovering = true;
    options.onPhase("reconnecting");
    if (data.type === ErrorTypes.NETWORK_ERROR) {
      // Without a playlist there is nothing to resume: load it again from scratch.
      if (manifestErrors.includes(data.details)) later(create);
      else later(() => instance.startLoad());
      return;
    }
    if (data.type === ErrorTypes.MEDIA_ERROR) {
      const now = Date.now();
      mediaErrors = mediaErrors.filter((t) => now - t < mediaErrorWindowMs);
      mediaErrors.push(now);
      if (mediaErrors.length < 3) instance.recoverMediaError();
      else later(create);
      return;
    }
    later(create);
  };

  function create() {
    const resumeAt = options.lowLatency || !audio.currentTime ? -1 : audio.currentTime;
    const wasPlaying = hls !== null && !audio.paused;
    hls?.destroy();
    const instance = new Hls({
      lowLatencyMode: options.lowLatency,
      startPosition: resumeAt,
      backBufferLength: options.lowLatency ? 30 : 90,
      maxLiveSyncPlaybackRate: options.lowLatency ? 1.5 : 1,
    });
    hls = instance;
    instance.on(Events.ERROR, (_event, data) => onError(instance, data));
    instance.on(Events.MANIFEST_PARSED, () => {
      if (options.autoPlay || wasPlaying) playAudio(audio, options.onBlocked);
    });
    instance.on(Events.FRAG_BUFFERED, () => {
      if (instance !== hls) return;
      attempt = 0;
      if (recovering) catchUp(instance);
      recovering = false;
      options.onPhase("ready");
    });
    instance.attachMedia(audio);
    instance.loadSource(url);
  }

  create();
  // Ask now, inside the click that started it: Safari remembers the element may play.
  if (options.autoPlay) playAudio(audio, options.onBlocked);

  return {
    latency: () => {
      if (!hls || !options.lowLatency) return null;
      const latency = hls.latency;
      return Number.isFinite(latency) && latency > 0 ? latency : null;
    },
    destroy: () => {
      disposed = true;
      clearTimeout(timer);
      hls?.destroy();
      hls = null;
    },
  };
}
