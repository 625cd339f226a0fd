import { setTimeout as delay } from "node:timers/promises";

/** Waits `seconds`; resolves false at once if `signal` fires (the run is over), true otherwise. */
export async function sleep(seconds: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await delay(Math.max(0, seconds * 1000), undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
