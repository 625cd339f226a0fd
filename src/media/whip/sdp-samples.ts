/**
 * Sample SDP offers for the tests. The Chromium ones were captured from Debian's Chromium 156
 * (getUserMedia with a fake device, `addTransceiver(track, { direction: "sendonly" })`, after ICE
 * gathering), the video one is the example of RFC 9725 section 4.2.
 */

const crlf = (lines: string[]): string => `${lines.join("\r\n")}\r\n`;

const chromiumAudioCodecs = [
  "a=rtpmap:111 opus/48000/2",
  "a=rtcp-fb:111 transport-cc",
  "a=fmtp:111 minptime=10;useinbandfec=1",
  "a=rtpmap:63 red/48000/2",
  "a=fmtp:63 111/111",
  "a=rtpmap:9 G722/8000",
  "a=rtpmap:0 PCMU/8000",
  "a=rtpmap:8 PCMA/8000",
  "a=rtpmap:13 CN/8000",
  "a=rtpmap:110 telephone-event/48000",
  "a=rtpmap:126 telephone-event/8000",
];

const chromiumExtmaps = [
  "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
  "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
  "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
  "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
];

/** A Chromium publisher offer: one sendonly audio track, Opus first among 8 codecs. */
export const chromiumPublisherOffer = crlf([
  "v=0",
  "o=- 3974700627490747894 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0",
  "a=extmap-allow-mixed",
  "a=msid-semantic: WMS 0f641e4a-33be-43f3-a440-e1a155cc4f8a",
  "m=audio 59302 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
  "c=IN IP4 192.0.2.2",
  "a=rtcp:9 IN IP4 0.0.0.0",
  "a=candidate:3379301134 1 udp 2122194687 192.0.2.2 59302 typ host generation 0 network-id 1",
  "a=candidate:3458099134 1 udp 2122265343 fd00::2 48658 typ host generation 0 network-id 2",
  "a=candidate:3080972694 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1",
  "a=candidate:2966521126 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2",
  "a=ice-ufrag:XUwu",
  "a=ice-pwd:DIiTbMNugt3/pcufgh+n+1sv",
  "a=ice-options:trickle",
  "a=fingerprint:sha-256 C5:1C:64:13:1B:79:0D:B2:A5:24:AD:5D:89:D9:92:DF:13:C5:FF:0A:B8:41:E9:3E:63:BA:58:73:C6:D2:E0:BF",
  "a=setup:actpass",
  "a=mid:0",
  ...chromiumExtmaps,
  "a=sendonly",
  "a=msid:0f641e4a-33be-43f3-a440-e1a155cc4f8a d35fd7bc-5412-467b-8144-4faec5774d31",
  "a=rtcp-mux",
  "a=rtcp-rsize",
  "a=rtcp-xr:rcvr-rtt=all",
  ...chromiumAudioCodecs,
  "a=ssrc:3909980846 cname:ibkW4cOZcSZn82R4",
  "a=ssrc:3909980846 msid:0f641e4a-33be-43f3-a440-e1a155cc4f8a d35fd7bc-5412-467b-8144-4faec5774d31",
]);

/** A Chromium listener offer: `slots` recvonly audio transceivers (captured with 3, repeated). */
export function chromiumListenerOffer(slots: number): string {
  const mids = Array.from({ length: slots }, (_, i) => String(i));
  const lines = [
    "v=0",
    "o=- 7149530410140470787 2 IN IP4 127.0.0.1",
    "s=-",
    "t=0 0",
    `a=group:BUNDLE ${mids.join(" ")}`,
    "a=extmap-allow-mixed",
    "a=msid-semantic: WMS",
  ];
  for (const mid of mids) {
    lines.push(
      "m=audio 53186 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
      "c=IN IP4 192.0.2.2",
      "a=rtcp:9 IN IP4 0.0.0.0",
      "a=candidate:837523068 1 udp 2122194687 192.0.2.2 53186 typ host generation 0 network-id 1",
      "a=ice-ufrag:Rmdz",
      "a=ice-pwd:tXP9spHYWdamXWQ5wcuLqcDH",
      "a=ice-options:trickle",
      "a=fingerprint:sha-256 19:66:14:71:29:63:EE:51:70:AB:CA:E5:F1:32:96:07:25:32:8D:32:AC:28:07:87:12:3D:2C:21:C7:E4:BC:4A",
      "a=setup:actpass",
      `a=mid:${mid}`,
      ...chromiumExtmaps,
      "a=recvonly",
      "a=rtcp-mux",
      "a=rtcp-rsize",
      ...chromiumAudioCodecs,
    );
  }
  return crlf(lines);
}

/** The Chromium publisher offer with Opus (and RED over Opus) removed: G722, PCMU, PCMA only. */
export const nonOpusPublisherOffer = chromiumPublisherOffer
  .replace(
    "m=audio 59302 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
    "m=audio 59302 UDP/TLS/RTP/SAVPF 9 0 8",
  )
  .split("\r\n")
  .filter((line) => !/^a=(rtpmap|rtcp-fb|fmtp):(111|63|13|110|126) /.test(line))
  .join("\r\n");

/** RFC 9725's example offer: an audio and a video track (bundle-only, port 9). */
export const audioVideoPublisherOffer = crlf([
  "v=0",
  "o=- 5228595038118931041 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0 1",
  "a=extmap-allow-mixed",
  "a=msid-semantic: WMS",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "c=IN IP4 0.0.0.0",
  "a=rtcp:9 IN IP4 0.0.0.0",
  "a=ice-ufrag:EsAw",
  "a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y",
  "a=ice-options:trickle",
  "a=fingerprint:sha-256 DA:7B:57:DC:28:CE:04:4F:31:79:85:C4:31:67:EB:27:58:29:ED:77:2A:0D:24:AE:ED:AD:30:BC:BD:F1:9C:02",
  "a=setup:actpass",
  "a=mid:0",
  "a=bundle-only",
  "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
  "a=sendonly",
  "a=msid:- d46fb922-d52a-4e9c-aa87-444eadc1521b",
  "a=rtcp-mux",
  "a=rtpmap:111 opus/48000/2",
  "a=fmtp:111 minptime=10;useinbandfec=1",
  "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
  "c=IN IP4 0.0.0.0",
  "a=rtcp:9 IN IP4 0.0.0.0",
  "a=ice-ufrag:EsAw",
  "a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y",
  "a=ice-options:trickle",
  "a=fingerprint:sha-256 DA:7B:57:DC:28:CE:04:4F:31:79:85:C4:31:67:EB:27:58:29:ED:77:2A:0D:24:AE:ED:AD:30:BC:BD:F1:9C:02",
  "a=setup:actpass",
  "a=mid:1",
  "a=bundle-only",
  "a=sendonly",
  "a=msid:- d46fb922-d52a-4e9c-aa87-444eadc1521b",
  "a=rtcp-mux",
  "a=rtpmap:96 VP8/90000",
  "a=rtpmap:97 rtx/90000",
  "a=fmtp:97 apt=96",
]);

/** The audio part of RFC 9725's example alone: a minimal valid publisher offer. */
export const minimalPublisherOffer = audioVideoPublisherOffer.slice(
  0,
  audioVideoPublisherOffer.indexOf("m=video"),
);
