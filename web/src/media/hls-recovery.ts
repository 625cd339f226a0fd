import type { HlsConfig, LoaderConfig, LoaderResponse, RetryConfig } from "hls.js";
import { reconnectDelay } from "./reconnect-policy";

/**
 * How the live player rides out a media node's death: the Space's playlist and parts keep
 * their URLs, but for a few seconds they answer with errors (connection refused, 503 while the
 * proxy finds no owner, 404 while the new owner restarts the stream). hls.js by default gives
 * up at once on a 4xx or a status-0 failure (unless the browser is offline) and after two
 * retries on a 5xx; the policies here keep retrying those for ~10 s, and what is still fatal
 * after that is recovered by the player itself (planRecovery), with backoff, for as long as
 * it is attached (the live player lets go once the Space ends).
 */

/** Answers a live stream gives while its media node is replaced: worth asking again. */
export function retryableLoad(isTimeout: boolean, code: number | undefined): boolean {
  if (isTimeout) return true;
  // undefined: not an HTTP failure at all (parsing, decryption, a gap): asking again won't help.
  if (code === undefined) return false;
  return code === 0 || code === 404 || code === 408 || code === 425 || code === 429 || code >= 500;
}

const shouldRetry: NonNullable<RetryConfig["shouldRetry"]> = (
  config: RetryConfig | null | undefined,
  retryCount: number,
  isTimeout: boolean,
  response: LoaderResponse | undefined,
) => !!config && retryCount < config.maxNumRetry && retryableLoad(isTimeout, response?.code);

/** 250 ms doubling to 2 s: 8 retries span ~11.75 s of waiting (plus the requests). */
const errorRetry: RetryConfig = {
  maxNumRetry: 8,
  retryDelayMs: 250,
  maxRetryDelayMs: 2000,
  backoff: "exponential",
  shouldRetry,
};

const timeoutRetry: RetryConfig = {
  maxNumRetry: 4,
  retryDelayMs: 250,
  maxRetryDelayMs: 1000,
  backoff: "exponential",
  shouldRetry,
};

function policy(maxTimeToFirstByteMs: number, maxLoadTimeMs: number) {
  const config: LoaderConfig = { maxTimeToFirstByteMs, maxLoadTimeMs, timeoutRetry, errorRetry };
  return { default: config };
}

/** The load policies of a live (LL-HLS) player. */
export function liveLoadPolicies(): Pick<
  HlsConfig,
  "manifestLoadPolicy" | "playlistLoadPolicy" | "fragLoadPolicy"
> {
  return {
    // Blocking playlist reloads are held by the origin for up to ~3 part targets.
    manifestLoadPolicy: policy(10_000, 20_000),
    playlistLoadPolicy: policy(10_000, 20_000),
    fragLoadPolicy: policy(10_000, 30_000),
  };
}

/** A fatal hls.js error, reduced to what recovery needs. */
export interface FatalError {
  kind: "network" | "media" | "other";
  /** The playlist itself never loaded: there is nothing to resume. */
  manifest: boolean;
}

/**
 * `start-load`: resume loading (cheap; for a lost playlist or part); `recover-media`:
 * hls.js's recoverMediaError (a decoding hiccup); `recreate`: a new hls.js instance on the
 * same element and URL.
 */
export type RecoveryAction = "start-load" | "recover-media" | "recreate";

export interface RecoveryState {
  /** Delayed recoveries since audio last buffered (the backoff's attempt). */
  attempt: number;
  /** Fatal network errors since audio last buffered. */
  networkFailures: number;
  /** When the recent media errors happened (ms). */
  mediaErrors: number[];
}

export const initialRecovery: RecoveryState = { attempt: 0, networkFailures: 0, mediaErrors: [] };

/** Media errors this close together mean recoverMediaError() is not enough: start over. */
export const mediaErrorWindowMs = 10_000;

export interface RecoveryPlan {
  action: RecoveryAction;
  delayMs: number;
  state: RecoveryState;
}

/**
 * What to do about a fatal error: a network error first resumes loading, and if that fails
 * again before any audio arrives, the instance is recreated; a media error is recovered in
 * place, unless it keeps coming back. Waits grow 250 ms → 4 s (with jitter) until audio
 * buffers again (`recovered`).
 */
export function planRecovery(
  state: RecoveryState,
  error: FatalError,
  now: number,
  random: () => number = Math.random,
): RecoveryPlan {
  const delayed = (action: RecoveryAction, next: Partial<RecoveryState>): RecoveryPlan => ({
    action,
    delayMs: reconnectDelay(state.attempt, random),
    state: { ...state, ...next, attempt: state.attempt + 1 },
  });
  if (error.kind === "media") {
    const mediaErrors = [...state.mediaErrors.filter((t) => now - t < mediaErrorWindowMs), now];
    if (mediaErrors.length < 3) {
      return { action: "recover-media", delayMs: 0, state: { ...state, mediaErrors } };
    }
    return delayed("recreate", { mediaErrors: [] });
  }
  if (error.kind === "network") {
    const networkFailures = state.networkFailures + 1;
    const action = error.manifest || state.networkFailures > 0 ? "recreate" : "start-load";
    return delayed(action, { networkFailures });
  }
  return delayed("recreate", {});
}

/** Audio buffered again: the next failure starts from the shortest wait. */
export function recovered(state: RecoveryState): RecoveryState {
  return state.attempt === 0 && state.networkFailures === 0
    ? state
    : { ...state, attempt: 0, networkFailures: 0 };
}
