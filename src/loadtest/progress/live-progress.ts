import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { ProgressFigures } from "../stats/stats-aggregate.ts";
import { progressLine } from "./progress-line.ts";

export interface LiveProgress {
  update(figures: ProgressFigures, second: number): void;
  stop(): void;
}

/**
 * Progress while a load test runs: bars (arrived, admitted, queued, errors, with rates) when
 * stdout is a terminal, otherwise a one-line summary on stderr every `everySeconds`.
 */
export function liveProgress(
  plannedListeners: number,
  options: { tty?: boolean; everySeconds?: number } = {},
): LiveProgress {
  const tty = options.tty ?? process.stdout.isTTY === true;
  if (!tty) {
    const every = options.everySeconds ?? 5;
    let lastPrinted = -every;
    return {
      update(figures, second) {
        if (second - lastPrinted < every) return;
        lastPrinted = second;
        process.stderr.write(`${progressLine(second, figures, plannedListeners)}\n`);
      },
      stop() {},
    };
  }
  const multi = new MultiBar(
    {
      format: " {label} |{bar}| {value}/{total} {rate}",
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
      etaBuffer: 1,
    },
    Presets.shades_classic,
  );
  const total = Math.max(1, plannedListeners);
  let stopped = false;
  const bar = (label: string): SingleBar => multi.create(total, 0, { label, rate: "" });
  const bars = {
    arrived: bar("arrived  "),
    admitted: bar("admitted "),
    queued: bar("queued   "),
    errors: bar("errors   "),
  };
  return {
    update(f) {
      bars.arrived.update(f.arrived, { rate: `${f.rates.arrivals}/s` });
      bars.admitted.update(f.admitted, { rate: `${f.rates.admitted}/s, ${f.listening} listening` });
      bars.queued.update(f.queued, { rate: "" });
      if (f.errors > total) bars.errors.setTotal(f.errors);
      bars.errors.update(f.errors, {
        rate: `${f.rates.errors}/s${f.hostileRequests ? `, hostile ${f.rates.hostileRequests} req/s` : ""}`,
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
