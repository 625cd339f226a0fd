/**
 * werift peer connections as Amphi's media server uses them: Opus only, no STUN of its own,
 * host candidates from configuration, non-trickle answers (all candidates in the answer, as
 * RFC 9725 asks), and a close that tells the other side at once (DTLS close_notify).
 */
import { randomBytes } from "node:crypto";
import {
  RTCPeerConnection,
  type RTCPeerConnectionConfig,
  RTCRtpCodecParameters,
  useSdesMid as sdesMidExtension,
} from "werift";
import { answerProblem } from "./sdp-offer.ts";
import { WhipError } from "./whip-errors.ts";

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** Where the media server listens for WebRTC. */
export interface WebRtcNetworkOptions {
  /**
   * Addresses announced as ICE host candidates: the server's public address (also behind a 1:1
   * NAT, the ports being the same), a LAN address, or 127.0.0.1 for a single machine.
   * Default: ["127.0.0.1"].
   */
  hostAddresses?: readonly string[];
  /** Also announce every non-loopback interface address of this machine. Default: false. */
  gatherInterfaceAddresses?: boolean;
  /** With gatherInterfaceAddresses, include IPv6 interface addresses. Default: false. */
  ipv6?: boolean;
  /** Bind the UDP sockets to this IPv4 address instead of 0.0.0.0. */
  bindAddress?: string;
  /** UDP port range of the ICE sockets (one port per session), e.g. [40000, 40999]. */
  portRange?: readonly [number, number];
  /** STUN/TURN servers for the server's own gathering; normally none (it has a known address). */
  iceServers?: readonly IceServer[];
}

export const defaultHostAddresses: readonly string[] = ["127.0.0.1"];

/** The one codec Amphi speaks: Opus, 48 kHz, in-band FEC requested from the sender. */
export function opusCodec(): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: "audio/opus",
    clockRate: 48000,
    channels: 2,
    payloadType: 111,
    parameters: "minptime=10;useinbandfec=1",
  });
}

/**
 * werift configuration. werift's defaults would use a public Google STUN server (gathering then
 * waits ~5 s when offline) and announce every interface but loopback; both are replaced here.
 */
export function peerConfig(
  network: WebRtcNetworkOptions = {},
  options: { midExtension?: boolean } = {},
): RTCPeerConnectionConfig {
  const gatherInterfaces = network.gatherInterfaceAddresses ?? false;
  const config: RTCPeerConnectionConfig = {
    codecs: { audio: [opusCodec()], video: [] },
    headerExtensions: { audio: options.midExtension ? [sdesMidExtension()] : [], video: [] },
    iceServers: (network.iceServers ?? []).map((server) => ({ ...server })),
    iceUseIpv4: gatherInterfaces,
    iceUseIpv6: gatherInterfaces && (network.ipv6 ?? false),
    iceAdditionalHostAddresses: [...(network.hostAddresses ?? defaultHostAddresses)],
    bundlePolicy: "max-bundle",
  };
  if (network.portRange) config.icePortRange = [network.portRange[0], network.portRange[1]];
  if (network.bindAddress) config.iceInterfaceAddresses = { udp4: network.bindAddress };
  return config;
}

/** Resolves when ICE gathering is complete, or after `timeoutMs` (answering with what there is). */
export function waitForGathering(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const subscription = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === "complete") done();
    });
    function done(): void {
      clearTimeout(timer);
      subscription.unSubscribe();
      resolve();
    }
  });
}

/**
 * Applies a checked offer, sets every transceiver to `direction`, and returns the answer once
 * ICE gathering is complete. werift errors on the offer become AMPHI_WHIP_BAD_OFFER; an answer
 * that rejects a section or lost Opus becomes AMPHI_WHIP_BAD_OFFER / _NOT_OPUS.
 */
export async function answerOffer(
  pc: RTCPeerConnection,
  offerSdp: string,
  options: { direction: "recvonly" | "sendonly"; sections: number; gatheringTimeoutMs: number },
): Promise<string> {
  try {
    await pc.setRemoteDescription({ type: "offer", sdp: offerSdp });
  } catch (error) {
    // werift's own words stay in the log (the cause), not in the answer.
    throw new WhipError(
      "AMPHI_WHIP_BAD_OFFER",
      "The offer could not be applied (check its candidates, connection and media lines).",
      undefined,
      error,
    );
  }
  // werift answers remote-created transceivers "recvonly" whatever was offered; a listener's
  // slots must be "sendonly" or the answer rejects them (port 0, inactive).
  for (const transceiver of pc.getTransceivers()) transceiver.setDirection(options.direction);
  await pc.setLocalDescription(await pc.createAnswer());
  await waitForGathering(pc, options.gatheringTimeoutMs);
  const answer = pc.localDescription?.sdp;
  if (!answer) throw new WhipError("AMPHI_WHIP_BAD_OFFER", "No answer could be made.");
  const problem = answerProblem(answer, options);
  if (problem) throw problem;
  return answer;
}

const dtlsAlertContentType = 21;

/**
 * Sends a DTLS close_notify alert on every DTLS transport: the immediate revocation of consent
 * RFC 9725 asks of a media server that ends a session (RFC 7675 section 5.2). werift's own close
 * does not send one (its DTLS stop is "todo impl send alert"), so the peer would only notice
 * when ICE consent expires, about 30 s later. Best effort: uses werift internals.
 */
export async function sendCloseNotify(pc: RTCPeerConnection): Promise<void> {
  for (const transport of pc.dtlsTransports) {
    try {
      const socket = transport.dtls;
      if (!socket?.connected || transport.state !== "connected") continue;
      const context = socket.dtls;
      const sequenceNumber = ++context.recordSequenceNumber;
      const record = {
        recordLayerHeader: {
          contentType: dtlsAlertContentType,
          protocolVersion: context.version,
          epoch: context.epoch,
          sequenceNumber,
          contentLen: 2,
        },
        // level warning (1), description close_notify (0)
        fragment: Buffer.from([1, 0]),
      };
      socket.cipher.encryptPacket(
        record as unknown as Parameters<typeof socket.cipher.encryptPacket>[0],
      );
      const fragment = record.fragment;
      const out = Buffer.alloc(13 + fragment.length);
      out.writeUInt8(dtlsAlertContentType, 0);
      out.writeUInt8(context.version.major, 1);
      out.writeUInt8(context.version.minor, 2);
      out.writeUInt16BE(context.epoch, 3);
      out.writeUIntBE(sequenceNumber, 5, 6);
      out.writeUInt16BE(fragment.length, 11);
      fragment.copy(out, 13);
      await socket.transport.send(out);
    } catch {
      // The peer will notice through ICE consent expiry instead.
    }
  }
}

/** Ends a peer connection: close_notify first, then werift's close. Never throws. */
export async function closePeer(pc: RTCPeerConnection): Promise<void> {
  await sendCloseNotify(pc).catch(() => {});
  // werift's UDP send does not wait for the datagram to leave; closing the socket at once
  // would drop the close_notify.
  await new Promise((resolve) => setTimeout(resolve, 10));
  await pc.close().catch(() => {});
}

/** An unguessable session id, URL-safe (it goes into the Location of the session). */
export function newSessionId(): string {
  return randomBytes(18).toString("base64url");
}

/** A strong entity-tag for the ICE session (RFC 9725 4.3.1), quoted as an ETag header wants. */
export function newEtag(): string {
  return `"${randomBytes(12).toString("base64url")}"`;
}

export { RTCPeerConnection };
