import type { Dispatcher } from "undici";

export interface HlsObserver {
  /** A media playlist answered (< 400) after `ms`. */
  playlist(ms: number): void;
  /** An answer >= 400 ("hls STATUS") or a network failure ("hls network CODE"). */
  error(key: string): void;
}

const isAbort = (error: Error, signal: unknown) =>
  (signal as AbortSignal | undefined)?.aborted === true ||
  error.name === "AbortError" ||
  error.name === "TimeoutError" ||
  (error as { code?: unknown }).code === "UND_ERR_ABORTED";

/**
 * Wraps a client's dispatcher so every LL-HLS request the player makes (anything under
 * `/hls/`) is timed and checked without the player having to report it: media playlist
 * round trips and answers >= 400 or network failures go to `observer`. Aborts at the end of
 * the run are not errors. Other requests pass through untouched.
 */
export function instrumentHls(dispatcher: Dispatcher, observer: HlsObserver): Dispatcher {
  return dispatcher.compose((dispatch) => (options, handler) => {
    const path = options.path ?? "";
    if (!path.includes("/hls/")) return dispatch(options, handler);
    const isPlaylist = /\.m3u8(\?|$)/.test(path);
    const started = performance.now();
    let status = 0;
    const timed: Dispatcher.DispatchHandler = {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, statusCode, headers, socket) =>
        handler.onRequestUpgrade?.(controller, statusCode, headers, socket),
      onResponseStart: (controller, statusCode, headers, statusMessage) => {
        status = statusCode;
        return handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
      },
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => {
        if (status >= 400) observer.error(`hls ${status}`);
        else if (isPlaylist) observer.playlist(performance.now() - started);
        return handler.onResponseEnd?.(controller, trailers);
      },
      onResponseError: (controller, error) => {
        if (!isAbort(error, (options as { signal?: unknown }).signal)) {
          observer.error(`hls network ${(error as { code?: string }).code ?? error.name}`);
        }
        return handler.onResponseError?.(controller, error);
      },
    };
    return dispatch(options, timed);
  });
}
