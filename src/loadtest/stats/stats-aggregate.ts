import type { Histogram } from "hdr-histogram-js";
import {
  decodeHistogram,
  newHistogram,
  type Percentiles,
  percentilesOf,
} from "./latency-histogram.ts";
import type {
  Counter,
  CountMetric,
  Metric,
  Outcome,
  StatsDelta,
  TimelineMetric,
} from "./stats-types.ts";

export type CounterTotals = Record<Counter, number>;

/** What the live progress display shows. */
export interface ProgressFigures {
  arrived: number;
  admitted: number;
  /** Listeners waiting in the queue right now. */
  queued: number;
  /** Listeners following the live playlist right now. */
  listening: number;
  errors: number;
  hostileRequests: number;
  /** Per second, over the last few complete seconds. */
  rates: { arrivals: number; admitted: number; errors: number; hostileRequests: number };
}

/**
 * The parent's view of a run: the sum of every worker's deltas. Counters add up, histograms
 * are merged (HdrHistogram `add`), gauges (queued, listening) are running sums of their
 * enter/leave counters. Pure: no clock, no I/O.
 */
export class StatsAggregate {
  readonly totals = {} as CounterTotals;
  readonly perSecond = new Map<number, Partial<Record<Counter, number>>>();
  readonly histograms = new Map<Metric | CountMetric, Histogram>();
  readonly histogramsBySecond = new Map<number, Map<TimelineMetric, Histogram>>();
  readonly outcomes: Partial<Record<Outcome, number>> = {};
  readonly errors: Record<string, number> = {};
  readonly hostileAnswers: Record<string, number> = {};

  merge(delta: StatsDelta): void {
    for (const [counter, n] of Object.entries(delta.counters) as [Counter, number][]) {
      this.totals[counter] = (this.totals[counter] ?? 0) + n;
    }
    for (const [second, counts] of Object.entries(delta.bySecond)) {
      const s = Number(second);
      const bucket = this.perSecond.get(s) ?? {};
      for (const [counter, n] of Object.entries(counts) as [Counter, number][]) {
        bucket[counter] = (bucket[counter] ?? 0) + n;
      }
      this.perSecond.set(s, bucket);
    }
    for (const [metric, encoded] of Object.entries(delta.histograms) as [Metric, string][]) {
      let h = this.histograms.get(metric);
      if (!h) {
        h = newHistogram(3);
        this.histograms.set(metric, h);
      }
      h.add(decodeHistogram(encoded));
    }
    for (const [second, perMetric] of Object.entries(delta.histogramsBySecond)) {
      const s = Number(second);
      let target = this.histogramsBySecond.get(s);
      if (!target) {
        target = new Map();
        this.histogramsBySecond.set(s, target);
      }
      for (const [metric, encoded] of Object.entries(perMetric) as [TimelineMetric, string][]) {
        let h = target.get(metric);
        if (!h) {
          h = newHistogram(2);
          target.set(metric, h);
        }
        h.add(decodeHistogram(encoded));
      }
    }
    addCounts(this.outcomes, delta.outcomes);
    addCounts(this.errors, delta.errors);
    addCounts(this.hostileAnswers, delta.hostileAnswers);
  }

  total(counter: Counter): number {
    return this.totals[counter] ?? 0;
  }

  /** Percentiles of a duration metric in ms (or of a count metric as is). */
  percentiles(metric: Metric | CountMetric): Percentiles {
    const h = this.histograms.get(metric) ?? newHistogram(2);
    return percentilesOf(h, metric === "queuePosition" ? 1 : 1000);
  }

  /** The last second any worker reported something for (-1 if none). */
  lastSecond(): number {
    let last = -1;
    for (const s of this.perSecond.keys()) last = Math.max(last, s);
    for (const s of this.histogramsBySecond.keys()) last = Math.max(last, s);
    return last;
  }

  /** Figures for the live display; `currentSecond` is the scenario's second now. */
  progress(currentSecond: number, window = 3): ProgressFigures {
    const rate = (counter: Counter) => {
      let sum = 0;
      let seconds = 0;
      for (let s = currentSecond - window; s < currentSecond; s++) {
        if (s < 0) continue;
        sum += this.perSecond.get(s)?.[counter] ?? 0;
        seconds++;
      }
      return seconds === 0 ? 0 : Math.round(sum / seconds);
    };
    return {
      arrived: this.total("arrivals"),
      admitted: this.total("admitted"),
      queued: this.total("queueEntered") - this.total("queueLeft"),
      listening: this.total("listeningStarted") - this.total("listeningStopped"),
      errors: this.total("errors"),
      hostileRequests: this.total("hostileRequests"),
      rates: {
        arrivals: rate("arrivals"),
        admitted: rate("admitted"),
        errors: rate("errors"),
        hostileRequests: rate("hostileRequests"),
      },
    };
  }
}

function addCounts<K extends string>(
  into: Partial<Record<K, number>>,
  from: Partial<Record<K, number>>,
): void {
  for (const [key, n] of Object.entries(from) as [K, number][]) {
    into[key] = (into[key] ?? 0) + n;
  }
}
