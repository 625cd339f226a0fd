/**
 * Every figure the capacity model uses, with its unit and the default it falls back to. Three
 * kinds: measured by a benchmark (read from bench/results, defaults = the last run quoted in
 * the docs), server settings (the config the fleet runs with) and model constants (stated
 * assumptions nobody measured here). Each default carries its reason, printed next to it.
 */

/** A figure and where it came from: a file and field, the config, a computation or a default. */
export interface Sourced {
  value: number;
  source: string;
}

/** What reading a measured figure gave: a value, or why there is none. */
export type Reading = Sourced | { missing: string };

export interface FigureDefault {
  value: number;
  unit: string;
  why: string;
}

/** Figures the benchmarks measure (bench/results/*.json). */
export const measuredDefaults = {
  ticketsPerSecondPerApiNode: {
    value: 4_274,
    unit: "tickets/s",
    why: "the join run quoted in docs/operations.md (one process at saturation)",
  },
  requestsPerSecondPerNode: {
    value: 8_933,
    unit: "requests/s",
    why: "bare GET /healthz in that join run: what one Node process answers at most",
  },
  listenersPerEdge: {
    value: 3_000,
    unit: "listeners",
    why: "the fanout run in bench/README.md: one nginx edge kept 3,000 LL-HLS listeners fed, 5,000 not",
  },
  edgeCoresPer1000Listeners: {
    value: 0.15,
    unit: "cores",
    why: "nginx CPU per 1,000 LL-HLS listeners in the fanout run (bench/README.md)",
  },
  originRequestsPerPartPerEdge: {
    value: 4,
    unit: "requests/part",
    why: "bench/README.md: 2 to 4 per part per edge whatever its audience; the top of the range",
  },
  cpuPerSpace: {
    value: 0.0283,
    unit: "cores",
    why: "`npm run bench -- mixer` by hand on 2026-12-02: 2.83% of a core with 13 speakers (a full stage)",
  },
} as const satisfies Record<string, FigureDefault>;

export type MeasuredFigureName = keyof typeof measuredDefaults;
export type MeasuredReadings = Partial<Record<MeasuredFigureName, Reading>>;

/** Constants of the model: assumptions, stated, never measured by a benchmark here. */
export const modelDefaults = {
  headroom: {
    value: 0.7,
    unit: "share",
    why: "run every node at 70% of its measured ceiling (the join benchmark's sustained phase ran at 70% of saturation)",
  },
  sparePerTier: {
    value: 1,
    unit: "nodes",
    why: "N+1: each tier survives losing one node",
  },
  flashArrivalShare: {
    value: 0.1,
    unit: "share",
    why: "no --arrivals-per-second: a flash crowd, 10% of the listeners arrive within the window below",
  },
  flashWindowSeconds: {
    value: 60,
    unit: "s",
    why: "the first minute after go-live",
  },
  heartbeatCostInTickets: {
    value: 1,
    unit: "tickets",
    why: "a heartbeat verifies and re-signs a ticket like a ticket request does; not benchmarked on its own",
  },
  proxiedRequestCostInTickets: {
    value: 1,
    unit: "tickets",
    why: "an API node forwarding an edge's LL-HLS request to the media node (@fastify/reply-from) costs about a ticket; not benchmarked",
  },
  listenerRequestsPerPart: {
    value: 2,
    unit: "requests/part",
    why: "LL-HLS: one blocking playlist reload and one part per part (~4 requests/s at 0.5 s parts)",
  },
  fanoutPartSeconds: {
    value: 0.5,
    unit: "s",
    why: "the part duration the fanout benchmark runs with (HLS_PART_SECONDS=0.5 there); edges are bound by requests/s",
  },
  responseHeaderBytes: {
    value: 220,
    unit: "bytes",
    why: "HTTP/1.1 response headers through an `amphi edge nginx-conf` edge, measured 2026-12-02: 214-219 bytes",
  },
  requestHeaderBytes: {
    value: 550,
    unit: "bytes",
    why: "a Chromium-style HTTP/1.1 GET (User-Agent, sec-ch-ua, sec-fetch-*, Origin, Referer): 534-558 bytes",
  },
  packetHeaderBytes: {
    value: 52,
    unit: "bytes",
    why: "per packet: IPv4 20 + TCP 20 + TCP timestamps 12",
  },
  packetPayloadBytes: {
    value: 1_448,
    unit: "bytes",
    why: "TCP payload per packet at a 1,500-byte MTU with timestamps",
  },
  tlsRecordBytes: {
    value: 22,
    unit: "bytes",
    why: "TLS 1.3 AES-GCM record per response: 5 header + 1 content type + 16 tag",
  },
  redisOpsPerSecondPerInstance: {
    value: 100_000,
    unit: "ops/s",
    why: "~100k simple commands/s on one Redis core (redis-benchmark order of magnitude; scripts cost more)",
  },
  redisCommandsPerJoin: {
    value: 7,
    unit: "commands",
    why: "src/shared-state/redis as of 2026-12-02: admission script 1, presence PFADD + PEXPIRE on two keys 4, per-address and per-network rate limits 2",
  },
  redisCommandsPerHeartbeat: {
    value: 4,
    unit: "commands",
    why: "presence PFADD + PEXPIRE on the time bucket and on the all-time set, one MULTI (redis-presence-counts.ts); counts are read once a second per node",
  },
} as const satisfies Record<string, FigureDefault>;

export type ModelFigureName = keyof typeof modelDefaults;

/** Server settings the model depends on, as the fleet will run them. */
export interface ServerSettings {
  heartbeatSeconds: Sourced;
  mediaBitrate: Sourced;
  hlsPartSeconds: Sourced;
  admitRatePerSecond: Sourced;
  maxListenersPerSpace: Sourced;
}

export const settingUnits: Record<keyof ServerSettings, string> = {
  heartbeatSeconds: "s",
  mediaBitrate: "bit/s",
  hlsPartSeconds: "s",
  admitRatePerSecond: "listeners/s",
  maxListenersPerSpace: "listeners",
};

/** Bytes of one listener's LL-HLS responses, computed with the real packager (wire-sizes.ts). */
export interface WireSizes {
  /** One part: Opus audio plus its fMP4 moof/mdat. */
  partBytes: Sourced;
  /** One blocking playlist reload's body: the whole live media playlist. */
  playlistBytes: Sourced;
}

/** One line of the printed assumptions. */
export interface Assumption {
  name: string;
  value: number;
  unit: string;
  source: string;
}
