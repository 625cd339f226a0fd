import { describe, expect, it } from "vitest";
import { ApiError, networkErrorCode } from "../api/api-error";
import { isTransientFailure, reconnectDelay, retryDelayFor } from "./reconnect-policy";

const low = () => 0;
const high = () => 0.999999;

describe("reconnectDelay", () => {
  it("starts at 250 ms and doubles up to 4 s", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 9, 50].map((n) => reconnectDelay(n, high));
    expect(ceilings).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000]);
  });

  it("jitters each wait between half and all of its ceiling", () => {
    expect(reconnectDelay(0, low)).toBe(125);
    expect(reconnectDelay(4, low)).toBe(2000);
    for (let i = 0; i < 200; i++) {
      const d = reconnectDelay(3);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });

  it("treats a negative attempt as the first", () => {
    expect(reconnectDelay(-3, high)).toBe(250);
  });
});

describe("retryDelayFor", () => {
  it("waits at least what Retry-After asks, within the cap", () => {
    const slow = new ApiError(503, "AMPHI_NOT_READY", "moving", undefined, 1);
    expect(retryDelayFor(slow, 0, high)).toBe(1000);
    const verySlow = new ApiError(429, "AMPHI_RATE_LIMITED", "slow down", undefined, 60);
    expect(retryDelayFor(verySlow, 0, high)).toBe(4000);
    expect(retryDelayFor(new Error("x"), 2, high)).toBe(1000);
  });
});

describe("isTransientFailure", () => {
  const api = (status: number, code: string) => new ApiError(status, code, code);

  it("retries what a takeover looks like from the browser", () => {
    expect(isTransientFailure(api(0, networkErrorCode))).toBe(true);
    expect(isTransientFailure(api(503, "AMPHI_NOT_READY"))).toBe(true);
    expect(isTransientFailure(api(502, "AMPHI_HTTP_ERROR"))).toBe(true);
    expect(isTransientFailure(api(404, "AMPHI_STREAM_NOT_FOUND"))).toBe(true);
    expect(isTransientFailure(api(409, "AMPHI_WHIP_SESSION_EXISTS"))).toBe(true);
    expect(isTransientFailure(api(429, "AMPHI_RATE_LIMITED"))).toBe(true);
    expect(isTransientFailure(new Error("timed out"))).toBe(true);
  });

  it("stops on refusals that asking again cannot change", () => {
    expect(isTransientFailure(api(403, "AMPHI_FORBIDDEN"))).toBe(false);
    expect(isTransientFailure(api(403, "AMPHI_REMOVED_FROM_SPACE"))).toBe(false);
    expect(isTransientFailure(api(409, "AMPHI_SPACE_NOT_LIVE"))).toBe(false);
    expect(isTransientFailure(api(404, "AMPHI_SPACE_NOT_FOUND"))).toBe(false);
    expect(isTransientFailure(api(404, "AMPHI_NOT_FOUND"))).toBe(false);
    expect(isTransientFailure(api(401, "AMPHI_UNAUTHENTICATED"))).toBe(false);
    expect(isTransientFailure(new DOMException("Hung up", "AbortError"))).toBe(false);
  });
});
