import type { Histogram } from "hdr-histogram-js";
import { encodeHistogram, msToMicros, newHistogram } from "./latency-histogram.ts";
import {
  type Counter,
  type CountMetric,
  type Metric,
  type Outcome,
  type StatsDelta,
  type TimelineMetric,
  timelineMetrics,
} from "./stats-types.ts";

const isTimelineMetric = (m: Metric): m is TimelineMetric =>
  (timelineMetrics as readonly string[]).includes(m);

/**
 * Where one process records what its clients see. Counts go in total and into the second of
 * the scenario they happened in; `drain()` hands everything since the previous drain over as
 * a serializable delta and starts afresh, so a parent can add deltas from many workers.
 * No I/O: the clock is injected.
 */
export class StatsRecorder {
  private delta: StatsDelta = emptyDelta();
  private histograms = new Map<Metric | CountMetric, Histogram>();
  private bySecond = new Map<number, Map<TimelineMetric, Histogram>>();

  constructor(
    /** Epoch ms at which the scenario started (shared by all workers). */
    private readonly startedAtMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current second of the scenario (0-based; events before the start land in 0). */
  second(): number {
    return Math.max(0, Math.floor((this.now() - this.startedAtMs) / 1000));
  }

  count(counter: Counter, n = 1): void {
    this.delta.counters[counter] = (this.delta.counters[counter] ?? 0) + n;
    const key = String(this.second());
    const bucket = this.delta.bySecond[key] ?? {};
    bucket[counter] = (bucket[counter] ?? 0) + n;
    this.delta.bySecond[key] = bucket;
  }

  /** A duration in milliseconds. */
  latency(metric: Metric, ms: number): void {
    const micros = msToMicros(ms);
    this.histogram(metric, 3).recordValue(micros);
    if (isTimelineMetric(metric)) {
      const second = this.second();
      let perMetric = this.bySecond.get(second);
      if (!perMetric) {
        perMetric = new Map();
        this.bySecond.set(second, perMetric);
      }
      let h = perMetric.get(metric);
      if (!h) {
        h = newHistogram(2, "fast");
        perMetric.set(metric, h);
      }
      h.recordValue(micros);
    }
  }

  /** A plain number (queue positions). */
  value(metric: CountMetric, value: number): void {
    this.histogram(metric, 2).recordValue(Math.max(0, Math.round(value)));
  }

  outcome(outcome: Outcome): void {
    this.delta.outcomes[outcome] = (this.delta.outcomes[outcome] ?? 0) + 1;
  }

  /** An error seen by a legitimate client: counted and kept in the breakdown under `key`. */
  error(key: string): void {
    this.count("errors");
    this.delta.errors[key] = (this.delta.errors[key] ?? 0) + 1;
  }

  hostileAnswer(key: string): void {
    this.delta.hostileAnswers[key] = (this.delta.hostileAnswers[key] ?? 0) + 1;
  }

  drain(): StatsDelta {
    const delta = this.delta;
    for (const [metric, h] of this.histograms) {
      if (h.totalCount > 0) delta.histograms[metric] = encodeHistogram(h);
    }
    for (const [second, perMetric] of this.bySecond) {
      const encoded: Partial<Record<TimelineMetric, string>> = {};
      for (const [metric, h] of perMetric) encoded[metric] = encodeHistogram(h);
      delta.histogramsBySecond[String(second)] = encoded;
    }
    this.delta = emptyDelta();
    this.histograms = new Map();
    this.bySecond = new Map();
    return delta;
  }

  private histogram(metric: Metric | CountMetric, digits: 2 | 3): Histogram {
    let h = this.histograms.get(metric);
    if (!h) {
      h = newHistogram(digits, "fast");
      this.histograms.set(metric, h);
    }
    return h;
  }
}

export function emptyDelta(): StatsDelta {
  return {
    counters: {},
    bySecond: {},
    histograms: {},
    histogramsBySecond: {},
    outcomes: {},
    errors: {},
    hostileAnswers: {},
  };
}

/** Whether a delta carries anything (workers skip sending empty ones). */
export function isEmptyDelta(delta: StatsDelta): boolean {
  return (
    Object.keys(delta.counters).length === 0 &&
    Object.keys(delta.histograms).length === 0 &&
    Object.keys(delta.outcomes).length === 0 &&
    Object.keys(delta.hostileAnswers).length === 0
  );
}
