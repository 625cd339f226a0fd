/**
 * The capacity model: an event (listeners, arrival rate, Spaces) plus the measured figures ->
 * the fleet it needs. Pure: no I/O, no clock. Every figure it uses is logged as an assumption
 * with its source, and every result as a derivation line with the numbers that produced it,
 * so the printed plan can be checked by hand (docs/capacity.md).
 */
import type {
  Assumption,
  MeasuredReadings,
  ServerSettings,
  WireSizes,
} from "./capacity-figures.ts";
import { capacityNotes } from "./capacity-notes.ts";
import { createFigureLog, type FigureLog } from "./figure-log.ts";
import { listenerTraffic } from "./listener-egress.ts";
import { formatPercent, formatNumber as n, roundTo } from "./number-format.ts";

export interface CapacityInputs {
  listeners: number;
  /** Arrivals per second at the peak; undefined: a flash crowd (modelDefaults). */
  arrivalsPerSecond?: number | undefined;
  /** Live Spaces the listeners are spread over (one event: 1). */
  spaces: number;
}

export interface PlanInput {
  inputs: CapacityInputs;
  measured: MeasuredReadings;
  settings: ServerSettings;
  wire: WireSizes;
  /** Notes from outside the model (e.g. the flash rehearsal), printed after its own. */
  extraNotes?: readonly string[];
}

export interface Fleet {
  apiNodes: number;
  mediaNodes: number;
  edges: number;
  redis: { instances: number; opsPerSecond: number };
  egressGbps: number;
  bytesPerListenerHour: number;
}

export interface CapacityPlan {
  inputs: {
    listeners: number;
    arrivalsPerSecond: number;
    arrivalsPerSecondGiven: boolean;
    spaces: number;
  };
  assumptions: Assumption[];
  fleet: Fleet;
  derivation: string[];
  notes: string[];
}

/** What every tier's sizing needs: the figures, the headroom and spares, and a derivation. */
interface Tier {
  f: FigureLog;
  headroom: number;
  spare: number;
  say: (line: string) => void;
}

export function planCapacity(input: PlanInput): CapacityPlan {
  const { listeners, spaces } = input.inputs;
  const f = createFigureLog(input);
  const derivation: string[] = [];
  const t: Tier = {
    f,
    headroom: f.model("headroom"),
    spare: f.model("sparePerTier"),
    say: (line) => derivation.push(line),
  };

  const arrivals = arrivalRate(t, input.inputs);
  const heartbeatSeconds = f.setting("heartbeatSeconds");
  const heartbeats = listeners / heartbeatSeconds;
  t.say(`heartbeats H = ${n(listeners)} / ${n(heartbeatSeconds)} s = ${n(heartbeats, 1)}/s`);
  const edges = planEdges(t, listeners);
  const api = planApiNodes(t, arrivals, heartbeats, edges.originPerSpace * spaces);
  const mediaNodes = planMediaNodes(t, spaces);
  const redis = planRedis(t, arrivals, heartbeats);
  const egress = planEgress(t, listeners);

  const notes = capacityNotes({
    listeners,
    spaces,
    arrivals,
    heartbeatShare: api.heartbeatShare,
    heartbeatSeconds,
    admitRate: f.setting("admitRatePerSecond"),
    maxListenersPerSpace: f.setting("maxListenersPerSpace"),
    shields: edges.shields,
    direct: edges.direct,
    originBudget: edges.originBudget,
    redisOpsPerSpace: redis.opsPerSecond / spaces,
    redisBudget: redis.budget,
  });
  return {
    inputs: {
      listeners,
      arrivalsPerSecond: roundTo(arrivals, 2),
      arrivalsPerSecondGiven: input.inputs.arrivalsPerSecond !== undefined,
      spaces,
    },
    assumptions: f.assumptions(),
    fleet: {
      apiNodes: api.nodes,
      mediaNodes,
      edges: edges.edges,
      redis: { instances: redis.instances, opsPerSecond: redis.opsPerSecond },
      egressGbps: egress.gbps,
      bytesPerListenerHour: egress.bytesPerListenerHour,
    },
    derivation,
    notes: [...notes, ...(input.extraNotes ?? [])],
  };
}

/** Arrivals per second: given, or the spike of a flash crowd. */
function arrivalRate(t: Tier, inputs: CapacityInputs): number {
  if (inputs.arrivalsPerSecond !== undefined) {
    t.say(`arrivals R = ${n(inputs.arrivalsPerSecond, 1)}/s (--arrivals-per-second)`);
    return inputs.arrivalsPerSecond;
  }
  const share = t.f.model("flashArrivalShare");
  const window = t.f.model("flashWindowSeconds");
  const arrivals = (share * inputs.listeners) / window;
  t.say(
    `arrivals R = ${formatPercent(share)} x ${n(inputs.listeners)} listeners / ${n(window)} s = ${n(arrivals, 1)}/s (flash-crowd default)`,
  );
  return arrivals;
}

/**
 * Edges are bound by requests per second, measured at the fanout benchmark's part duration.
 * The origin (a Space's media node) sees edges, not listeners; when the edges alone would
 * swamp it, a shield tier of edges sits between them.
 */
function planEdges(t: Tier, listeners: number) {
  const partSeconds = t.f.setting("hlsPartSeconds");
  const requestsPerPart = t.f.model("listenerRequestsPerPart");
  const fanoutPart = t.f.model("fanoutPartSeconds");
  const measured = t.f.measured("listenersPerEdge");
  const edgeRequestsPerSecond = (measured * requestsPerPart) / fanoutPart;
  const perEdge = Math.max(1, Math.floor((measured * partSeconds) / fanoutPart));
  const listenerEdges = Math.ceil(listeners / perEdge);
  t.say(
    `listener edges = ceil(${n(listeners)} / ${n(perEdge)} listeners per edge) = ${n(listenerEdges)}` +
      ` (an edge served ${n(edgeRequestsPerSecond)} requests/s: ${n(measured)} listeners x ${n(requestsPerPart)} requests per ${n(fanoutPart, 2)} s part)`,
  );
  const nginxCores =
    (listeners / 1000) * t.f.measured("edgeCoresPer1000Listeners") * (fanoutPart / partSeconds);
  t.say(
    `nginx work alone: ${n(nginxCores, 1)} cores in total (the measured edge was bounded by its machine, shared with the load generator)`,
  );

  const originPerEdge = t.f.measured("originRequestsPerPartPerEdge") / partSeconds;
  const originBudget = t.f.measured("requestsPerSecondPerNode") * t.headroom;
  const direct = listenerEdges * originPerEdge;
  const shields = direct > originBudget ? Math.ceil(direct / edgeRequestsPerSecond) : 0;
  const originPerSpace = (shields > 0 ? shields : listenerEdges) * originPerEdge;
  t.say(
    `origin requests per Space = ${n(listenerEdges)} edges x ${n(originPerEdge, 1)}/s = ${n(direct)}/s ` +
      `against ${n(originBudget)}/s for one media node` +
      (shields > 0
        ? ` -> shield edges = ceil(${n(direct)} / ${n(edgeRequestsPerSecond)}) = ${n(shields)}, origin then ${n(originPerSpace)}/s`
        : " (fits, no shield tier)"),
  );
  const edges = listenerEdges + t.spare + (shields > 0 ? shields + t.spare : 0);
  t.say(
    `edges = ${n(listenerEdges)} + ${n(t.spare)} spare` +
      (shields > 0 ? ` + ${n(shields)} shield + ${n(t.spare)} spare` : "") +
      ` = ${n(edges)}`,
  );
  return { edges, shields, direct, originBudget, originPerSpace };
}

/**
 * Every arrival asks for a ticket, every listener heartbeats, and the edges' LL-HLS requests
 * reach the media nodes through the API nodes (src/control/media-proxy-routes.ts).
 */
function planApiNodes(t: Tier, arrivals: number, heartbeats: number, proxied: number) {
  const perNode = t.f.measured("ticketsPerSecondPerApiNode");
  const heartbeatCost = t.f.model("heartbeatCostInTickets");
  const proxiedCost = t.f.model("proxiedRequestCostInTickets");
  const load = arrivals + heartbeats * heartbeatCost + proxied * proxiedCost;
  const budget = perNode * t.headroom;
  const nodes = Math.max(1, Math.ceil(load / budget)) + t.spare;
  t.say(
    `API nodes = ceil((R + H x ${n(heartbeatCost, 2)} + LL-HLS ${n(proxied)}/s x ${n(proxiedCost, 2)}) / (${n(perNode)} tickets/s x ${n(t.headroom, 2)})) + ${n(t.spare)} spare` +
      ` = ceil(${n(load, 1)} / ${n(budget, 1)}) + ${n(t.spare)} = ${n(nodes)}`,
  );
  return { nodes, heartbeatShare: (heartbeats * heartbeatCost) / load };
}

/** One process per media node, mixing on one core; it serves edges, not listeners. */
function planMediaNodes(t: Tier, spaces: number): number {
  const cpuPerSpace = t.f.measured("cpuPerSpace");
  const nodes = Math.max(1, Math.ceil((spaces * cpuPerSpace) / t.headroom)) + t.spare;
  t.say(
    `media nodes = max(1, ceil(${n(spaces)} Space${spaces === 1 ? "" : "s"} x ${n(cpuPerSpace, 4)} cores / ${n(t.headroom, 2)})) + ${n(t.spare)} spare = ${n(nodes)}`,
  );
  return nodes;
}

/** A few commands per join and per heartbeat; counts are read once a second per node. */
function planRedis(t: Tier, arrivals: number, heartbeats: number) {
  const perJoin = t.f.model("redisCommandsPerJoin");
  const perHeartbeat = t.f.model("redisCommandsPerHeartbeat");
  const opsPerSecond = Math.ceil(arrivals * perJoin + heartbeats * perHeartbeat);
  const budget = t.f.model("redisOpsPerSecondPerInstance") * t.headroom;
  const instances = Math.max(1, Math.ceil(opsPerSecond / budget));
  t.say(
    `Redis ops = R x ${n(perJoin)} + H x ${n(perHeartbeat)} = ${n(opsPerSecond)}/s; instances = ceil(${n(opsPerSecond)} / ${n(budget)}) = ${n(instances)}`,
  );
  return { opsPerSecond, instances, budget };
}

function planEgress(t: Tier, listeners: number) {
  const traffic = listenerTraffic(t.f);
  t.say(traffic.derivation);
  const gbps = (listeners * traffic.bytesPerSecond * 8) / 1e9;
  const bytesPerListenerHour = Math.round(traffic.bytesPerSecond * 3600);
  const audioPerHour = (t.f.setting("mediaBitrate") / 8) * 3600;
  t.say(
    `egress = ${n(listeners)} x ${n(traffic.bytesPerSecond * 8)} bit/s = ${n(gbps, 2)} Gbit/s; ` +
      `per listener-hour ${n(bytesPerListenerHour / 1e6, 1)} MB (audio alone ${n(audioPerHour / 1e6, 1)} MB, x${n(bytesPerListenerHour / audioPerHour, 2)})`,
  );
  const uploadGbps = (listeners * traffic.uploadBytesPerSecond * 8) / 1e9;
  t.say(`listener uploads (request headers) = ${n(uploadGbps, 2)} Gbit/s into the edges`);
  return { gbps: roundTo(gbps, 2), bytesPerListenerHour };
}
