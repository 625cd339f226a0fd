import { expect, test } from "vitest";
import { autoWorkerCount } from "./worker-count.ts";

test("auto worker count keeps every worker under the socket cap, and uses cores for request load", () => {
  const base = { hostile: 0, hostileRequestsPerSecond: 2, cores: 2 };
  expect(autoWorkerCount({ ...base, listeners: 200 })).toBe(1);
  // 20,000 listeners hold ~40,000 sockets: 3 processes under 15,000 each, whatever the cores.
  expect(autoWorkerCount({ ...base, listeners: 20_000 })).toBe(3);
  // Request load alone asks for more processes only up to the number of cores.
  expect(autoWorkerCount({ ...base, listeners: 5000, cores: 8 })).toBe(4);
  expect(autoWorkerCount({ ...base, listeners: 5000, cores: 2 })).toBe(2);
  // Hostile clients count one socket each.
  expect(autoWorkerCount({ ...base, listeners: 1000, hostile: 30_000 })).toBe(3);
});
