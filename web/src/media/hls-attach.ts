import type Hls from "hls.js";
import type { ErrorData } from "hls.js";
import { readId3UserText } from "../../../src/media/fmp4/id3.ts";
import { LIVE_CUE_DESCRIPTION } from "../../../src/media/live-state/live-cue.ts";
import type { Attachment, AttachOptions } from "./attachment";
import { liveSyncSettings } from "./hls-live-sync";
import {
  type FatalError,
  initialRecovery,
  liveLoadPolicies,
  planRecovery,
  type RecoveryState,
  recovered,
} from "./hls-recovery";
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

/** A live listener this far behind the edge after an outage jumps back to it. */
const maxLagSeconds = 6;

/**
 * Plays an HLS URL through hls.js. Live streams use LL-HLS (hls.js's defaults: the target
 * latency comes from the playlist's PART-HOLD-BACK) and speed up a little to catch up. Live
 * loads retry through a media node's takeover (hls-recovery.ts); what is still fatal is
 * recovered here with backoff: loading resumes, media errors are recovered in place, and
 * failing that the hls.js instance is recreated, for as long as the stream is attached.
 */
export function attachHls(
  Hls: HlsClass,
  audio: HTMLAudioElement,
  url: string,
  options: AttachOptions,
): Attachment {
  let hls: Hls | null = null;
  let disposed = false;
  let recovery: RecoveryState = initialRecovery;
  let recovering = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const { Events, ErrorTypes, ErrorDetails } = Hls;
  const manifestErrors: string[] = [
    ErrorDetails.MANIFEST_LOAD_ERROR,
    ErrorDetails.MANIFEST_LOAD_TIMEOUT,
    ErrorDetails.MANIFEST_PARSING_ERROR,
  ];

  const catchUp = (instance: Hls) => {
    const edge = instance.liveSyncPosition;
    if (options.lowLatency && edge !== null && edge - audio.currentTime > maxLagSeconds) {
      audio.currentTime = edge;
    }
  };

  const fatalOf = (data: ErrorData): FatalError => ({
    kind:
      data.type === ErrorTypes.NETWORK_ERROR
        ? "network"
        : data.type === ErrorTypes.MEDIA_ERROR
          ? "media"
          : "other",
    manifest: manifestErrors.includes(data.details),
  });

  const onError = (instance: Hls, data: ErrorData) => {
    if (instance !== hls || !data.fatal) return;
    recovering = true;
    options.onPhase("reconnecting");
    const plan = planRecovery(recovery, fatalOf(data), Date.now());
    recovery = plan.state;
    const act = () => {
      if (disposed || instance !== hls) return;
      if (plan.action === "recover-media") instance.recoverMediaError();
      else if (plan.action === "start-load") instance.startLoad();
      else create();
    };
    clearTimeout(timer);
    if (plan.delayMs === 0) act();
    else timer = setTimeout(act, plan.delayMs);
  };

  function create() {
    const resumeAt = options.lowLatency || !audio.currentTime ? -1 : audio.currentTime;
    const wasPlaying = hls !== null && !audio.paused;
    hls?.destroy();
    const { rewriteUrl } = options;
    const instance = new Hls({
      startPosition: resumeAt,
      // Every load (playlists, parts) under the newest signed prefix: hls.js opens the
      // request itself unless xhrSetup did, so only a moved URL is opened here.
      ...(rewriteUrl
        ? {
            xhrSetup: (xhr: XMLHttpRequest, requested: string) => {
              const next = rewriteUrl(requested);
              if (next !== requested) xhr.open("GET", next, true);
            },
          }
        : {}),
      ...(options.lowLatency
        ? { ...liveSyncSettings(), ...liveLoadPolicies() }
        : { lowLatencyMode: false, backBufferLength: 90, maxLiveSyncPlaybackRate: 1 }),
    });
    hls = instance;
    instance.on(Events.ERROR, (_event, data) => onError(instance, data));
    instance.on(Events.MANIFEST_PARSED, () => {
      if (options.autoPlay || wasPlaying) playAudio(audio, options.onBlocked);
    });
    // Timed metadata: hls.js reads the parts' emsg (ID3) and gives each its media time.
    instance.on(Events.FRAG_PARSING_METADATA, (_event, data) => {
      if (instance !== hls || !options.onLiveCue) return;
      for (const sample of data.samples) {
        const text = readId3UserText(sample.data, LIVE_CUE_DESCRIPTION);
        if (text !== null) options.onLiveCue(sample.pts, text);
      }
    });
    instance.on(Events.FRAG_BUFFERED, () => {
      if (instance !== hls) return;
      recovery = recovered(recovery);
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
