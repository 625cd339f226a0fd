import { expect, test } from "vitest";
import { retryAfterSeconds } from "./retry-after.ts";

const now = Date.parse("2030-01-01T00:00:00Z");

test("Retry-After: seconds, HTTP date, body, fallback, bounded", () => {
  expect(retryAfterSeconds({ "retry-after": "3" }, null, 1, now)).toBe(3);
  expect(retryAfterSeconds({ "retry-after": "Tue, 01 Jan 2030 00:00:10 GMT" }, null, 1, now)).toBe(
    10,
  );
  expect(retryAfterSeconds({}, { retryAfter: 4 }, 1, now)).toBe(4);
  expect(retryAfterSeconds({}, null, 1.5, now)).toBe(1.5);
  expect(retryAfterSeconds({ "retry-after": "86400" }, null, 1, now)).toBe(60);
  expect(retryAfterSeconds({ "retry-after": "-5" }, null, 1, now)).toBe(0);
  expect(retryAfterSeconds({ "retry-after": "soon" }, { retryAfter: 2 }, 1, now)).toBe(2);
});
