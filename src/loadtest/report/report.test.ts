import { describe, expect, test } from "vitest";
import { StatsAggregate } from "../stats/stats-aggregate.ts";
import { StatsRecorder } from "../stats/stats-recorder.ts";
import { buildReport, summaryLine } from "./build-report.ts";
import { renderReportHtml } from "./render-html.ts";
import type { LoadtestSettings } from "./report-types.ts";
import { escapeXml, niceStep, renderLineChart } from "./svg-chart.ts";

const settings: LoadtestSettings = {
  scenario: "attack",
  url: "http://127.0.0.1:8080/",
  spaceId: "space-1",
  clients: 3,
  durationSeconds: 4,
  rampSeconds: 1,
  hostileRatio: 1,
  hostileRequestsPerSecond: 2,
  workers: 1,
  heartbeatSeconds: 1,
  spreadSourceAddresses: true,
};

function sampleRun() {
  const startedAtMs = 1_000_000;
  let now = startedAtMs;
  const r = new StatsRecorder(startedAtMs, () => now);
  now = startedAtMs + 100;
  r.count("arrivals", 3);
  r.count("queueEntered", 1);
  r.value("queuePosition", 2);
  r.latency("ticketRequest", 12);
  r.latency("document", 3);
  now = startedAtMs + 1500;
  r.count("admitted", 2);
  r.count("listeningStarted", 2);
  r.latency("ticket", 40);
  r.latency("ticket", 60);
  r.latency("ticketRequest", 20);
  r.outcome("admitted");
  r.outcome("admitted");
  r.error("502");
  r.count("hostileRequests", 8);
  r.hostileAnswer("ticket 428 AMPHI_CHALLENGE_REQUIRED");
  now = startedAtMs + 2500;
  r.latency("firstPart", 700);
  r.latency("playlist", 480);
  r.count("heartbeats", 2);
  r.latency("heartbeat", 4);
  r.outcome("still-queued");
  const stats = new StatsAggregate();
  stats.merge(r.drain());
  return buildReport(
    settings,
    {
      startedAtMs,
      endedAtMs: startedAtMs + 4000,
      stoppedBy: "duration",
      plannedListeners: 3,
      plannedHostile: 3,
    },
    stats,
  );
}

describe("the report", () => {
  test("holds the settings, outcomes, errors, latency percentiles and a per-second timeline", () => {
    const report = sampleRun();
    expect(report.settings).toEqual(settings);
    expect(report.run).toMatchObject({ elapsedSeconds: 4, stoppedBy: "duration" });
    expect(report.outcomes).toEqual({
      admitted: 2,
      "queued-then-admitted": 0,
      "still-queued": 1,
      error: 0,
    });
    expect(report.errors).toEqual({ total: 1, breakdown: [{ key: "502", count: 1 }] });
    expect(report.latencyMs.ticket).toMatchObject({ count: 2, max: 60 });
    expect(report.latencyMs.ticket.p50).toBeCloseTo(40, 0);
    expect(report.latencyMs.firstPart.count).toBe(1);
    expect(report.queue).toMatchObject({ entered: 1, positions: { count: 1, max: 2 } });
    expect(report.hostile).toEqual({
      requests: 8,
      ticketsWithoutChallenge: 0,
      errors: 0,
      answers: [{ key: "ticket 428 AMPHI_CHALLENGE_REQUIRED", count: 1 }],
    });
    expect(report.timeline.map((r) => r.second)).toEqual([0, 1, 2, 3]);
    expect(report.timeline.map((r) => r.arrivals)).toEqual([3, 0, 0, 0]);
    expect(report.timeline.map((r) => r.admitted)).toEqual([0, 2, 0, 0]);
    expect(report.timeline.map((r) => r.queued)).toEqual([1, 1, 1, 1]);
    expect(report.timeline.map((r) => r.listening)).toEqual([0, 2, 2, 2]);
    expect(report.timeline.map((r) => r.errors)).toEqual([0, 1, 0, 0]);
    expect(report.timeline[0]!.latencyMs.ticketRequest).toMatchObject({ count: 1 });
    expect(report.timeline[2]!.latencyMs.playlist?.p95).toBeCloseTo(480, -1);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test("the summary line gives the outcome at a glance", () => {
    const line = summaryLine(sampleRun(), "/tmp/out");
    expect(line).toContain("attack: 3/3 listeners arrived");
    expect(line).toContain("2 admitted (0 after queueing)");
    expect(line).toContain("1 errors");
    expect(line).toContain("8 hostile requests");
    expect(line).toMatch(/report in \/tmp\/out$/);
  });

  test("the HTML page is self-contained: inline SVG charts, no scripts, fonts or external resources", () => {
    const html = renderReportHtml(sampleRun());
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|@import|@font-face|url\(|src=/i);
    // The only URLs are the SVG namespace and the target named in the settings table.
    const urls = [...html.matchAll(/https?:\/\/[^\s"<]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(
      new Set(["http://www.w3.org/2000/svg", "http://127.0.0.1:8080/"]),
    );
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain("Arrivals, admissions and errors per second");
    expect(html).toContain("Listeners queued and listening");
    expect(html).toContain("Request latency over time");
    expect(html).toContain("Hostile requests per second");
    expect(html).toContain("ticket 428 AMPHI_CHALLENGE_REQUIRED");
  });

  test("text from the server is escaped in the page", () => {
    const report = sampleRun();
    report.errors.breakdown.push({ key: "500 <img onerror=x>", count: 1 });
    const html = renderReportHtml(report);
    expect(html).not.toContain("<img");
    expect(html).toContain("500 &lt;img onerror=x&gt;");
  });
});

describe("SVG charts", () => {
  test("a series becomes a polyline scaled into the plot; gaps split it", () => {
    const svg = renderLineChart({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      x: [0, 1, 2, 3, 4],
      series: [{ name: "s", color: "#000", values: [0, 10, null, 10, 0] }],
      width: 200,
      height: 100,
    });
    const polylines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]!.split(" "));
    expect(polylines).toHaveLength(2);
    // Left margin 56, right 16: x=0 at 56, x=4 at 184; y=10 (the max) at the top margin (28).
    expect(polylines[0]![0]).toBe("56.0,44.0");
    expect(polylines[0]![1]).toBe("88.0,28.0");
    expect(polylines[1]![1]).toBe("184.0,44.0");
  });

  test("the legend names every listed series once, and leaves companion lines out", () => {
    const svg = renderLineChart({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      x: [0, 1],
      series: [
        { name: "playlist", color: "#111", values: [1, 2] },
        { name: "playlist p50", color: "#111", values: [1, 1], dashed: true, unlisted: true },
      ],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain(">playlist</text>");
    expect(svg).not.toContain("playlist p50");
    expect(svg).toContain('stroke-dasharray="5 4"');
  });

  test("axis steps are round numbers", () => {
    expect(niceStep(100)).toBe(20);
    expect(niceStep(7)).toBe(2);
    expect(niceStep(0.3)).toBe(0.1);
    expect(niceStep(0)).toBe(1);
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });
});
