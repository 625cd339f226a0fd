import type { LoaderResponse, RetryConfig } from "hls.js";
import { describe, expect, it } from "vitest";
import {
  initialRecovery,
  liveLoadPolicies,
  mediaErrorWindowMs,
  planRecovery,
  type RecoveryState,
  recovered,
  retryableLoad,
} from "./hls-recovery";

const high = () => 0.999999;

describe("live load policies", () => {
  it("retry the answers of a media node being replaced, not parse errors or refusals", () => {
    for (const code of [0, 404, 408, 429, 500, 502, 503, 504]) {
      expect(retryableLoad(false, code), String(code)).toBe(true);
    }
    expect(retryableLoad(true, undefined)).toBe(true);
    expect(retryableLoad(false, undefined)).toBe(false);
    for (const code of [400, 401, 403, 410]) expect(retryableLoad(false, code)).toBe(false);
  });

  it("keep retrying playlists and parts for well over 5 s before hls.js gives up", () => {
    const policies = liveLoadPolicies();
    for (const policy of [
      policies.playlistLoadPolicy,
      policies.fragLoadPolicy,
      policies.manifestLoadPolicy,
    ]) {
      const retry = policy.default.errorRetry as RetryConfig;
      // hls.js waits min(retryDelayMs·2^n, maxRetryDelayMs) before retry n.
      let waited = 0;
      for (let n = 0; n < retry.maxNumRetry; n++) {
        waited += Math.min(retry.retryDelayMs * 2 ** n, retry.maxRetryDelayMs);
      }
      expect(waited).toBeGreaterThan(8000);
      expect(retry.retryDelayMs).toBeLessThanOrEqual(250);

      const response = (code: number): LoaderResponse => ({ url: "/hls/x/part.m4s", code });
      const shouldRetry = retry.shouldRetry;
      expect(shouldRetry).toBeDefined();
      expect(shouldRetry?.(retry, 0, false, response(0), false)).toBe(true);
      expect(shouldRetry?.(retry, 3, false, response(404), false)).toBe(true);
      expect(shouldRetry?.(retry, 3, false, response(503), false)).toBe(true);
      expect(shouldRetry?.(retry, retry.maxNumRetry, false, response(503), true)).toBe(false);
      expect(shouldRetry?.(retry, 0, false, response(403), false)).toBe(false);
    }
  });
});

describe("planRecovery", () => {
  it("resumes loading after a first fatal network error, then recreates if it fails again", () => {
    const first = planRecovery(initialRecovery, { kind: "network", manifest: false }, 0, high);
    expect(first).toMatchObject({ action: "start-load", delayMs: 250 });
    const second = planRecovery(first.state, { kind: "network", manifest: false }, 1, high);
    expect(second).toMatchObject({ action: "recreate", delayMs: 500 });
  });

  it("recreates at once when the playlist itself never loaded", () => {
    const plan = planRecovery(initialRecovery, { kind: "network", manifest: true }, 0, high);
    expect(plan.action).toBe("recreate");
  });

  it("waits 250 ms doubling to 4 s while nothing plays, and starts over once audio buffers", () => {
    let state: RecoveryState = initialRecovery;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const plan = planRecovery(state, { kind: "network", manifest: true }, i, high);
      delays.push(plan.delayMs);
      state = plan.state;
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000]);
    state = recovered(state);
    const again = planRecovery(state, { kind: "network", manifest: false }, 99, high);
    expect(again).toMatchObject({ action: "start-load", delayMs: 250 });
  });

  it("recovers media errors in place, unless three come within the window", () => {
    const media = { kind: "media", manifest: false } as const;
    const a = planRecovery(initialRecovery, media, 0, high);
    const b = planRecovery(a.state, media, 1000, high);
    expect([a.action, a.delayMs, b.action, b.delayMs]).toEqual([
      "recover-media",
      0,
      "recover-media",
      0,
    ]);
    expect(planRecovery(b.state, media, 2000, high).action).toBe("recreate");
    // Spread out, they are separate hiccups.
    const later = planRecovery(b.state, media, 2 * mediaErrorWindowMs, high);
    expect(later.action).toBe("recover-media");
  });

  it("recreates the player for any other fatal error", () => {
    expect(planRecovery(initialRecovery, { kind: "other", manifest: false }, 0).action).toBe(
      "recreate",
    );
  });
});
