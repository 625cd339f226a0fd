import { describe, expect, it } from "vitest";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import { SessionCache } from "./session-cache.ts";

const account = { id: "a1", handle: "ada" } as AccountRecord;

describe("session cache", () => {
  it("is due for a background refresh past half its time, and expires at its time", () => {
    let now = 0;
    const cache = new SessionCache(30_000, 10, () => now);
    cache.set("h", account);
    now = 15_000;
    expect(cache.refreshDue("h")).toBe(false);
    now = 15_001;
    expect(cache.refreshDue("h")).toBe(true);
    expect(cache.get("h")).toBe(account);
    cache.set("h", account); // the refresh came back
    now = 40_000;
    expect(cache.get("h")).toBe(account);
    now = 45_002;
    expect(cache.get("h")).toBeUndefined();
  });

  it("does not keep a lookup that a log-out overtook", () => {
    const cache = new SessionCache();
    const revision = cache.revision;
    cache.delete("h"); // logged out while the lookup ran
    cache.setIf(revision, "h", account);
    expect(cache.get("h")).toBeUndefined();
    cache.setIf(cache.revision, "h", account);
    expect(cache.get("h")).toBe(account);
  });
});
