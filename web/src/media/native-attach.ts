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

/** Safari's DataCue for an ID3 frame in the stream: `value` names the frame and holds its text. */
interface Id3DataCue extends TextTrackCue {
  value?: { key?: string; info?: string; data?: unknown };
}

/**
 * Safari surfaces the stream's ID3 tags (from `emsg` too) as cues of a metadata text track:
 * each TXXX "amphi" frame is handed on with its start time, like hls.js's metadata samples.
 */
function followMetadataCues(audio: HTMLAudioElement, onCue: (time: number, text: string) => void) {
  const seen = new WeakSet<TextTrackCue>();
  const watch = (track: TextTrack) => {
    if (track.kind !== "metadata") return;
    track.mode = "hidden";
    track.addEventListener("cuechange", () => {
      for (const cue of Array.from(track.cues ?? []) as Id3DataCue[]) {
        if (seen.has(cue)) continue;
        seen.add(cue);
        const v = cue.value;
        if (v?.key === "TXXX" && v.info === "amphi" && typeof v.data === "string")
          onCue(cue.startTime, v.data);
      }
    });
  };
  for (const track of Array.from(audio.textTracks)) watch(track);
  const onAdd = (event: TrackEvent) => {
    if (event.track instanceof TextTrack) watch(event.track);
  };
  audio.textTracks.addEventListener("addtrack", onAdd);
  return () => audio.textTracks.removeEventListener("addtrack", onAdd);
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
    // After an error (a window's URL expired, say), the newest signed URL.
    audio.src = options.rewriteUrl?.(url) ?? url;
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
  const unfollow = options.onLiveCue ? followMetadataCues(audio, options.onLiveCue) : () => {};
  load(options.autoPlay);

  return {
    latency: () => (options.lowLatency ? nativeLatency(audio) : null),
    destroy: () => {
      disposed = true;
      clearTimeout(timer);
      audio.removeEventListener("error", onError);
      audio.removeEventListener("canplay", onReady);
      unfollow();
      audio.removeAttribute("src");
      audio.load();
    },
  };
}
