import type { Percentiles } from "../stats/latency-histogram.ts";
import {
  type Metric,
  metrics,
  type TimelineMetric,
  timelineMetrics,
} from "../stats/stats-types.ts";
import type { LoadtestReport } from "./report-types.ts";
import { escapeXml, renderLineChart } from "./svg-chart.ts";

const colors = {
  arrivals: "#2563eb",
  admitted: "#16a34a",
  queued: "#d97706",
  listening: "#7c3aed",
  errors: "#dc2626",
  challenge: "#0891b2",
  limited: "#a16207",
  hostile: "#6b7280",
} as const;

const latencyColors: Record<TimelineMetric, string> = {
  ticketRequest: "#2563eb",
  heartbeat: "#16a34a",
  playlist: "#7c3aed",
  document: "#d97706",
};

const metricLabels: Record<Metric, string> = {
  ticket: "arrival to ticket (queue included)",
  ticketRequest: "ticket request",
  firstPart: "arrival to first audio part",
  heartbeat: "heartbeat request",
  playlist: "playlist request (blocking reloads wait for the next part)",
  document: "Space document request",
  timeQueued: "time in queue (queued listeners)",
  challengeSolve: "challenge solving (client CPU)",
  generatorLag: "load generator event-loop delay (worst per second; high = generator saturated)",
};

const e = (value: unknown) => escapeXml(String(value));

function table(head: string[], rows: unknown[][]): string {
  const th = head.map((h) => `<th>${e(h)}</th>`).join("");
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

const percentileRow = (label: string, p: Percentiles) => [
  label,
  p.count,
  p.p50,
  p.p90,
  p.p95,
  p.p99,
  p.max,
];

/**
 * The report as one self-contained HTML page: tables and inline SVG charts, inline CSS, no
 * scripts, fonts or external resources. Pure.
 */
export function renderReportHtml(report: LoadtestReport): string {
  const x = report.timeline.map((r) => r.second);
  const col = (pick: (r: LoadtestReport["timeline"][number]) => number) =>
    report.timeline.map(pick);
  const charts = [
    renderLineChart({
      title: "Arrivals, admissions and errors per second",
      xLabel: "seconds since start",
      yLabel: "per second",
      x,
      series: [
        { name: "arrivals", color: colors.arrivals, values: col((r) => r.arrivals) },
        { name: "admitted", color: colors.admitted, values: col((r) => r.admitted) },
        { name: "errors", color: colors.errors, values: col((r) => r.errors) },
        {
          name: "428 challenge",
          color: colors.challenge,
          values: col((r) => r.challengeAnswers),
          dashed: true,
        },
        {
          name: "429/503",
          color: colors.limited,
          values: col((r) => r.rateLimitedAnswers + r.overloadedAnswers),
          dashed: true,
        },
      ],
    }),
    renderLineChart({
      title: "Listeners queued and listening",
      xLabel: "seconds since start",
      yLabel: "listeners",
      x,
      series: [
        { name: "queued", color: colors.queued, values: col((r) => r.queued) },
        { name: "listening", color: colors.listening, values: col((r) => r.listening) },
      ],
    }),
    renderLineChart({
      title: "Request latency over time (p95 solid, p50 dashed)",
      xLabel: "seconds since start",
      yLabel: "ms",
      x,
      series: (timelineMetrics as readonly TimelineMetric[]).flatMap((metric) => [
        {
          name: metric,
          color: latencyColors[metric],
          values: report.timeline.map((r) => r.latencyMs[metric]?.p95 ?? null),
        },
        {
          name: `${metric} p50`,
          color: latencyColors[metric],
          values: report.timeline.map((r) => r.latencyMs[metric]?.p50 ?? null),
          dashed: true,
          unlisted: true,
        },
      ]),
    }),
  ];
  if (report.hostile) {
    charts.push(
      renderLineChart({
        title: "Hostile requests per second",
        xLabel: "seconds since start",
        yLabel: "requests per second",
        x,
        series: [
          {
            name: "hostile requests",
            color: colors.hostile,
            values: col((r) => r.hostileRequests),
          },
        ],
      }),
    );
  }
  const s = report.settings;
  const o = report.outcomes;
  const sections = [
    `<h1>Amphi load test: ${e(s.scenario)}</h1>`,
    `<p class="lead">${e(report.clients.arrivedListeners)} of ${e(report.clients.plannedListeners)} listeners arrived; ${e(o.admitted + o["queued-then-admitted"])} admitted, ${e(o["still-queued"])} still queued, ${e(o.error)} failed, ${e(report.errors.total)} errors.${report.run.stoppedBy === "signal" ? " Stopped early: figures so far." : ""}</p>`,
    "<h2>Settings</h2>",
    table(
      ["setting", "value"],
      [
        ["target", s.url],
        ["Space", s.spaceId],
        ["listeners", s.clients],
        ["duration (s)", s.durationSeconds],
        ["arrival window (s)", s.rampSeconds],
        ["hostile per listener", s.hostileRatio > 0 ? s.hostileRatio : "-"],
        ["worker processes", s.workers],
        ["heartbeat every (s)", s.heartbeatSeconds ?? "server's value"],
        ["own source address per client", s.spreadSourceAddresses ? "yes" : "no"],
        ["started", report.run.startedAt],
        [
          "ended",
          `${report.run.endedAt} (${report.run.elapsedSeconds} s, ${report.run.stoppedBy})`,
        ],
      ],
    ),
    "<h2>Outcomes</h2>",
    table(
      ["outcome", "listeners"],
      Object.entries(o).map(([k, v]) => [k, v]),
    ),
    "<h2>Latency (ms)</h2>",
    table(
      ["what", "count", "p50", "p90", "p95", "p99", "max"],
      (metrics as readonly Metric[]).map((m) =>
        percentileRow(metricLabels[m], report.latencyMs[m]),
      ),
    ),
    table(
      ["queue", "count", "p50", "p90", "p95", "p99", "max"],
      [percentileRow("position when first queued", report.queue.positions)],
    ),
    "<h2>Charts</h2>",
    ...charts.map((c) => `<figure>${c}</figure>`),
    "<h2>Answers and errors</h2>",
    table(
      ["count", "value"],
      Object.entries(report.counts).map(([k, v]) => [k, v]),
    ),
    report.errors.breakdown.length
      ? table(
          ["error", "count"],
          report.errors.breakdown.map((b) => [b.key, b.count]),
        )
      : "<p>No errors.</p>",
  ];
  if (report.hostile) {
    sections.push(
      "<h2>Hostile clients</h2>",
      `<p>${e(report.hostile.requests)} requests, ${e(report.hostile.ticketsWithoutChallenge)} tickets obtained without solving a challenge, ${e(report.hostile.errors)} server errors or network failures.</p>`,
      table(
        ["answer", "count"],
        report.hostile.answers.map((b) => [b.key, b.count]),
      ),
    );
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Amphi load test: ${e(s.scenario)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 760px; color: #111827; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.lead { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.25rem 0.75rem; text-align: left; }
td:not(:first-child) { font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; }
svg .title { font-size: 13px; font-weight: 600; fill: #111827; }
svg .tick, svg .legend { font-size: 11px; fill: #374151; }
svg .label { font-size: 11px; fill: #6b7280; }
svg .grid { stroke: #e5e7eb; } svg .axis { stroke: #6b7280; }
</style>
</head>
<body>
${sections.join("\n")}
</body>
</html>
`;
}
