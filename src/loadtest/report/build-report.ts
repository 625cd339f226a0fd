import { percentilesOf } from "../stats/latency-histogram.ts";
import type { StatsAggregate } from "../stats/stats-aggregate.ts";
import {
  type Counter,
  counters,
  type Metric,
  metrics,
  type Outcome,
  outcomes,
  type TimelineMetric,
  timelineMetrics,
} from "../stats/stats-types.ts";
import type { LoadtestReport, LoadtestSettings, TimelineRow } from "./report-types.ts";

export interface RunFacts {
  startedAtMs: number;
  endedAtMs: number;
  stoppedBy: "duration" | "signal";
  plannedListeners: number;
  plannedHostile: number;
}

const sorted = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

/** The report of a run, from the merged figures. Pure. */
export function buildReport(
  settings: LoadtestSettings,
  facts: RunFacts,
  stats: StatsAggregate,
): LoadtestReport {
  const counts = Object.fromEntries(counters.map((c) => [c, stats.total(c)])) as Record<
    Counter,
    number
  >;
  const outcomeCounts = Object.fromEntries(
    outcomes.map((o) => [o, stats.outcomes[o] ?? 0]),
  ) as Record<Outcome, number>;
  const latencyMs = Object.fromEntries(metrics.map((m) => [m, stats.percentiles(m)])) as Record<
    Metric,
    ReturnType<StatsAggregate["percentiles"]>
  >;
  const elapsedSeconds = Math.max(0, (facts.endedAtMs - facts.startedAtMs) / 1000);
  return {
    tool: "amphi loadtest",
    formatVersion: 1,
    settings,
    run: {
      startedAt: new Date(facts.startedAtMs).toISOString(),
      endedAt: new Date(facts.endedAtMs).toISOString(),
      elapsedSeconds: Math.round(elapsedSeconds * 10) / 10,
      stoppedBy: facts.stoppedBy,
    },
    clients: {
      plannedListeners: facts.plannedListeners,
      plannedHostile: facts.plannedHostile,
      arrivedListeners: counts.arrivals,
    },
    outcomes: outcomeCounts,
    counts,
    errors: { total: counts.errors, breakdown: sorted(stats.errors) },
    latencyMs,
    queue: { entered: counts.queueEntered, positions: stats.percentiles("queuePosition") },
    hostile:
      facts.plannedHostile > 0
        ? {
            requests: counts.hostileRequests,
            ticketsWithoutChallenge: counts.hostileTickets,
            errors: counts.hostileErrors,
            answers: sorted(stats.hostileAnswers),
          }
        : null,
    timeline: buildTimeline(stats, Math.ceil(elapsedSeconds)),
  };
}

/** One row per second from 0 to the last second of the run (or of any figure, if later). */
export function buildTimeline(stats: StatsAggregate, seconds: number): TimelineRow[] {
  const last = Math.max(seconds - 1, stats.lastSecond());
  const rows: TimelineRow[] = [];
  let queued = 0;
  let listening = 0;
  for (let second = 0; second <= last; second++) {
    const c = stats.perSecond.get(second) ?? {};
    const n = (k: Counter) => c[k] ?? 0;
    queued += n("queueEntered") - n("queueLeft");
    listening += n("listeningStarted") - n("listeningStopped");
    const latencyMs: TimelineRow["latencyMs"] = {};
    const perMetric = stats.histogramsBySecond.get(second);
    for (const metric of timelineMetrics as readonly TimelineMetric[]) {
      const h = perMetric?.get(metric);
      if (!h || h.totalCount === 0) continue;
      const p = percentilesOf(h);
      latencyMs[metric] = { count: p.count, p50: p.p50, p95: p.p95, max: p.max };
    }
    rows.push({
      second,
      arrivals: n("arrivals"),
      admitted: n("admitted"),
      queued,
      listening,
      errors: n("errors"),
      queuedAnswers: n("queuedAnswers"),
      challengeAnswers: n("challengeAnswers"),
      rateLimitedAnswers: n("rateLimitedAnswers"),
      overloadedAnswers: n("overloadedAnswers"),
      hostileRequests: n("hostileRequests"),
      latencyMs,
    });
  }
  return rows;
}

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value} ms`);

/** The one line printed at the end of a run. */
export function summaryLine(report: LoadtestReport, outDir: string): string {
  const o = report.outcomes;
  const l = report.latencyMs;
  const admitted = o.admitted + o["queued-then-admitted"];
  const parts = [
    `${report.settings.scenario}: ${report.clients.arrivedListeners}/${report.clients.plannedListeners} listeners arrived`,
    `${admitted} admitted (${o["queued-then-admitted"]} after queueing)`,
    `${o["still-queued"]} still queued`,
    `${o.error} failed`,
    `${report.errors.total} errors`,
    `ticket p50 ${ms(l.ticket.p50)} p99 ${ms(l.ticket.p99)}`,
    `first part p50 ${ms(l.firstPart.p50)} p99 ${ms(l.firstPart.p99)}`,
    `generator lag max ${ms(l.generatorLag.max)}`,
  ];
  if (report.hostile) {
    parts.push(
      `${report.hostile.requests} hostile requests (${report.hostile.ticketsWithoutChallenge} tickets without a challenge)`,
    );
  }
  if (report.run.stoppedBy === "signal") parts.push("stopped early");
  return `${parts.join(", ")}; report in ${outDir}`;
}
