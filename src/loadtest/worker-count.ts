/**
 * How many worker processes a run needs when `--workers auto`: enough that none holds more
 * than `socketsPerWorker` sockets (a process may open < 20,000 files here), and, up to the
 * number of cores, enough that none sends more than `requestsPerWorker` requests a second
 * (one Node.js process saturates a core around there). A listener holds about two sockets
 * (a blocking playlist reload plus a part or heartbeat) and sends about four requests per
 * second with 0.5 s parts; a hostile client holds one socket.
 */
export function autoWorkerCount(input: {
  listeners: number;
  hostile: number;
  hostileRequestsPerSecond: number;
  cores: number;
  socketsPerWorker?: number;
  requestsPerWorker?: number;
}): number {
  const sockets = input.listeners * 2 + input.hostile;
  const requests = input.listeners * 4 + input.hostile * input.hostileRequestsPerSecond;
  const forSockets = Math.ceil(sockets / (input.socketsPerWorker ?? 15_000));
  const forCpu = Math.min(
    Math.max(1, input.cores),
    Math.ceil(requests / (input.requestsPerWorker ?? 6_000)),
  );
  return Math.max(1, forSockets, forCpu);
}
