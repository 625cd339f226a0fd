/**
 * A load-test worker process (forked by worker-pool.ts with `node --import tsx`): runs its
 * share of the clients and streams its figures to the parent about once a second.
 */
import { followHls } from "../listener/hls-follower.ts";
import { isEmptyDelta, StatsRecorder } from "../stats/stats-recorder.ts";
import { runShare } from "./client-runtime.ts";
import type { FromWorker, ToWorker } from "./worker-protocol.ts";

const stop = new AbortController();
const send = (message: FromWorker) =>
  new Promise<void>((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

// Ctrl-C reaches the whole process group: stop like the parent asked, report, exit.
process.on("SIGINT", () => stop.abort());
process.on("SIGTERM", () => stop.abort());
// The parent went away: nobody to report to.
process.on("disconnect", () => {
  stop.abort();
  setTimeout(() => process.exit(0), 2000).unref();
});

process.on("message", (message: ToWorker) => {
  if (message.type === "stop") {
    stop.abort();
    return;
  }
  if (message.type !== "start") return;
  const stats = new StatsRecorder(message.settings.startedAtMs);
  const ticker = setInterval(() => {
    const delta = stats.drain();
    if (!isEmptyDelta(delta)) void send({ type: "stats", delta });
  }, 1000);
  runShare(message.settings, message.share, { follow: followHls, stats, stop: stop.signal })
    .then(async ({ notArrived }) => {
      clearInterval(ticker);
      await send({ type: "done", delta: stats.drain(), notArrived });
      process.exit(0);
    })
    .catch(async (error: unknown) => {
      clearInterval(ticker);
      await send({
        type: "failed",
        message: error instanceof Error ? error.message : String(error),
      });
      process.exit(1);
    });
});

void send({ type: "ready" });
