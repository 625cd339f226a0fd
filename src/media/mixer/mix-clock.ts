/**
 * The shell clock that drives a program mixer: one tick every `intervalMs`, scheduled against
 * absolute deadlines (`start + index × interval` on a monotonic clock) so timer lateness never
 * accumulates into drift. A late wake-up emits every tick that came due, up to
 * `maxCatchUpTicks`; beyond that (the process was frozen) the missed ticks are skipped and
 * reported, so the feed does not burst seconds of audio at once.
 */

export interface MixTick {
  /** 0, 1, 2, … counting skipped ticks too, so `index × interval` is media time. */
  readonly index: number;
  /** When this tick was due, on the `now` clock. */
  readonly scheduledMs: number;
  /** When it actually ran. */
  readonly nowMs: number;
}

export interface MixClockOptions {
  readonly onTick: (tick: MixTick) => void;
  readonly intervalMs?: number;
  /** Most ticks emitted in one wake-up. */
  readonly maxCatchUpTicks?: number;
  /** Called with the number of ticks dropped after a long stall. */
  readonly onSkip?: (skipped: number) => void;
  /** Called when `onTick` throws; the clock keeps going. */
  readonly onError?: (error: unknown) => void;
  /** Monotonic clock in ms; `performance.now` by default. */
  readonly now?: () => number;
  readonly setTimer?: (run: () => void, delayMs: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

export interface MixClock {
  /** Stops ticking; no tick runs after this returns. */
  stop(): void;
  /** Ticks emitted so far. */
  readonly ticks: number;
}

/** Starts ticking at once (tick 0 is due immediately). */
export function startMixClock(options: MixClockOptions): MixClock {
  const interval = options.intervalMs ?? 20;
  const maxCatchUp = Math.max(1, options.maxCatchUpTicks ?? 10);
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer =
    options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const start = now();
  let index = 0;
  let emitted = 0;
  let stopped = false;
  let timer: unknown;

  const schedule = () => {
    if (stopped) return;
    timer = setTimer(run, Math.max(0, start + index * interval - now()));
  };

  const run = () => {
    timer = undefined;
    if (stopped) return;
    const t = now();
    let due = Math.floor((t - start) / interval) + 1 - index;
    if (due > maxCatchUp) {
      index += due - maxCatchUp;
      options.onSkip?.(due - maxCatchUp);
      due = maxCatchUp;
    }
    for (let k = 0; k < due && !stopped; k++) {
      try {
        options.onTick({ index, scheduledMs: start + index * interval, nowMs: t });
      } catch (error) {
        options.onError?.(error);
      }
      index++;
      emitted++;
    }
    schedule();
  };

  schedule();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
    },
    get ticks() {
      return emitted;
    },
  };
}
