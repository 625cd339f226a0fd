import { Worker } from "node:worker_threads";

export interface ReaderSample {
  /** Wall-clock ms (Date.now() scale) when the request started. */
  at: number;
  ms: number;
  ok: boolean;
}

/** Starts the Live-now reader in a worker thread; `stop()` answers its samples. */
export function startReader(
  url: string,
  token: string,
  intervalMs = 20,
): { stop(): Promise<ReaderSample[]> } {
  const worker = new Worker(new URL("./reader-worker.mjs", import.meta.url), {
    workerData: { url, token, intervalMs },
  });
  const done = new Promise<ReaderSample[]>((resolve, reject) => {
    worker.once("message", (samples: ReaderSample[]) => resolve(samples));
    worker.once("error", reject);
  });
  return {
    stop: async () => {
      worker.postMessage("stop");
      const samples = await done;
      await worker.terminate();
      return samples;
    },
  };
}
