import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { nothingDone } from "./pglite-executor.ts";

// pg-boss's own statements, as its manager builds them.
const plans = createRequire(import.meta.url)("pg-boss/src/plans.js");

describe("a statement that failed once the queue is stopping", () => {
  it.each(["completeJobs", "failJobsById", "cancelJobs", "deleteJobs", "resumeJobs", "retryJobs"])(
    "answers %s with a count of 0, the shape pg-boss reads",
    (command) => {
      const { rows } = nothingDone(plans[command]("pgboss"));
      expect(Number.parseInt((rows[0] as { count: string }).count, 10)).toBe(0);
    },
  );

  it("answers a fetch with no jobs", () => {
    expect(nothingDone(plans.fetchNextJob("pgboss")({ includeMetadata: false })).rows).toEqual([]);
  });
});
