/**
 * What an edge sends one LL-HLS listener per second, and what the listener sends back: per
 * part, the part and the blocking playlist reloads, each response with its headers, its TLS
 * record and the TCP/IP headers of the packets it takes; each request with its headers.
 */
import type { FigureLog } from "./figure-log.ts";
import { formatNumber as n } from "./number-format.ts";

export interface ListenerTraffic {
  /** Edge -> listener, bytes per second. */
  bytesPerSecond: number;
  /** Listener -> edge (request headers), bytes per second. */
  uploadBytesPerSecond: number;
  derivation: string;
}

export function listenerTraffic(f: FigureLog): ListenerTraffic {
  const partSeconds = f.setting("hlsPartSeconds");
  const requestsPerPart = f.model("listenerRequestsPerPart");
  const responseHeader = f.model("responseHeaderBytes");
  const packetHeader = f.model("packetHeaderBytes");
  const payload = f.model("packetPayloadBytes");
  const tlsRecord = f.model("tlsRecordBytes");
  const onTheWire = (bytes: number) =>
    bytes + tlsRecord + Math.ceil((bytes + tlsRecord) / payload) * packetHeader;
  const part = onTheWire(f.wire("partBytes") + responseHeader);
  const playlist = onTheWire(f.wire("playlistBytes") + responseHeader);
  const perPart = part + (requestsPerPart - 1) * playlist;
  const bytesPerSecond = perPart / partSeconds;
  const upload = requestsPerPart * onTheWire(f.model("requestHeaderBytes"));
  return {
    bytesPerSecond,
    uploadBytesPerSecond: upload / partSeconds,
    derivation:
      `per listener per ${n(partSeconds, 2)} s part: part ${n(part)} B + ${n(requestsPerPart - 1)} playlist ${n(playlist)} B ` +
      `(headers, TLS and TCP/IP included) = ${n(perPart)} B -> ${n(bytesPerSecond)} B/s`,
  };
}
