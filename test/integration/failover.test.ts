/**
 * Fault injection on a real fleet (`amphi cluster up`: PostgreSQL, Redis, 2 API nodes behind
 * HAProxy, 2 media nodes, 2 nginx edges), issue 9 item 4. While 30 simulated listeners
 * follow a live Space's LL-HLS through the edges, the host speaks into it over WHIP, new
 * joins arrive at 20/s and account/Space changes at 2/s, each of these in turn:
 *
 *   api-node    kill -9 api-1, 6 s down, `amphi cluster start api-1`
 *   media-node  kill -9 the media node owning the Space (its Redis lease), 6 s, start it
 *   redis       kill -9 Redis, 6 s, start it
 *   edge        kill -9 edge-1, 6 s, start it
 *   postgres    kill -9 PostgreSQL and start it again at once (a restart)
 *
 * after each, 3 s once the member is back, then (75 s at most: longer than the 60 s an edge
 * keeps a blocking-reload answer) until every listener gets parts and the speaker is heard
 * again, so that one fault's harm is not counted in the next fault's window. Each fault's window runs from its kill to the next kill. Asserted per window:
 *   - joins ok >= 99.9%: a join is ok on a 200 (ticket) or 202 (place in line); a 5xx or a
 *     network error is a failure. Clients behave as multi-CDN players: a request that fails on
 *     one edge is tried on the other, and fails only if it failed on every edge;
 *   - each listener's longest audio gap <= 5 s: the longest wall-clock interval with no new
 *     media part received (conservative: a player's buffer would hide part of it);
 *   - no finished recording part lost: every part any listener received while the Space was
 *     live is in the replay (/recordings/:id/vod.m3u8) with the same bytes.
 * And over the whole run: no acknowledged (2xx) account or Space change lost; the writer
 * retries a 503 after its Retry-After, as the web app does.
 *
 * The media-node fault needs the media takeover (another media node continuing the Space's
 * stream and recording); until that lands this window is expected to fail its gap bound:
 * today the new owner resumes at msn + 1 and answers the listeners' pending blocking reload
 * (for a part that will never exist) at once with a playlist listing no part, cacheable for
 * 60 s, and the edges serve it for 60 s (bench/README.md, "failover"). A Redis restart wipes
 * every lease, so the Space is re-placed the same way: the redis window can fail for the same
 * reason, depending on where each listener was.
 * The harness is in test/support/faults/ and is shared with `npm run bench -- failover`
 * (bench/README.md). About 2.5 minutes on 2 busy cores; the fleet is brought down by pid
 * (`amphi cluster down`) whatever happens.
 */
import { beforeAll, describe, expect, test } from "vitest";
import {
  describeWindow,
  type FailoverReport,
  runFailoverScenario,
} from "../support/faults/failover-scenario.ts";
import { FAULTS } from "../support/faults/fault-runner.ts";

const maxGapMs = 5_000;
let report: FailoverReport;

beforeAll(async () => {
  report = await runFailoverScenario({
    listeners: 30,
    joinsPerSecond: 20,
    writesPerSecond: 2,
    downMs: 6_000,
    settleMs: 3_000,
    recoverMs: 75_000,
    baselineMs: 5_000,
    maxGapMs,
    log: (line) => console.log(`[failover] ${line}`),
  });
  for (const w of report.windows) console.log(`[failover] ${describeWindow(w)}`);
  console.log(
    `[failover] writes: ${report.writes.acknowledged} acknowledged, ${report.writes.lost.length} lost; recording: ${report.recording.partsReceived} parts received, ${report.recording.partsLost} lost; speaker reconnected ${report.speaker.connectedAt.length - 1} times`,
  );
}, 400_000);

const windowOf = (fault: string) => {
  const w = report.windows.find((x) => x.fault === fault);
  if (!w) throw new Error(`no window for ${fault}`);
  return w;
};

describe("the fleet keeps listeners, joins, recordings and changes through each fault", () => {
  test("every listener was admitted and played before the faults", () => {
    expect(report.listeners.gotMedia).toBe(report.listeners.started);
    expect(windowOf("baseline").gapMs.max).toBeLessThanOrEqual(maxGapMs);
  });

  test.each(FAULTS)(
    "%s: joins ok >= 99.9 percent, audio gap <= 5 s, no recording part lost",
    (fault) => {
      const w = windowOf(fault);
      expect(w.listeners, "listeners measured").toBe(report.listeners.started);
      const failures = JSON.stringify(w.joins.failures);
      expect(
        w.joins.okPercent,
        `${fault}: joins ok %, failures ${failures}`,
      ).toBeGreaterThanOrEqual(99.9);
      expect(w.joins.attempted).toBeGreaterThan(0);
      expect(w.gapMs.max, `${fault}: longest audio gap (ms)`).toBeLessThanOrEqual(maxGapMs);
      expect(w.partsLost, `${fault}: recording parts lost`).toBe(0);
    },
  );

  test("no finished recording part lost over the whole run", () => {
    expect(report.recording.error).toBeNull();
    expect(report.recording.partsReceived).toBeGreaterThan(0);
    expect(report.recording.lost).toEqual([]);
  });

  test("no acknowledged account or Space change lost", () => {
    expect(report.writes.acknowledged).toBeGreaterThan(0);
    expect(report.writes.lost).toEqual([]);
  });
});
