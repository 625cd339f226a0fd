import { expect, test } from "vitest";
import { progressLine } from "./progress-line.ts";

test("the non-terminal progress line names every figure and its rate", () => {
  const figures = {
    arrived: 120,
    admitted: 100,
    queued: 15,
    listening: 98,
    errors: 2,
    hostileRequests: 0,
    rates: { arrivals: 24, admitted: 20, errors: 0, hostileRequests: 0 },
  };
  expect(progressLine(7, figures, 200)).toBe(
    "loadtest 7s: arrived 120/200 (24/s) admitted 100 (20/s) queued 15 listening 98 errors 2 (0/s)",
  );
  expect(
    progressLine(
      7,
      { ...figures, hostileRequests: 900, rates: { ...figures.rates, hostileRequests: 300 } },
      200,
    ),
  ).toMatch(/hostile requests 900 \(300\/s\)$/);
});
