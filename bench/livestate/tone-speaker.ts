/**
 * The host's microphone for the livestate bench, in a process of its own so that hundreds of
 * listeners in the bench's process do not delay its 20 ms frames: a WHIP publisher (werift)
 * sending 1 s of 1 kHz tone, 1.5 s of silence, until SIGTERM. Prints "ready" once connected.
 * Usage: node --import tsx bench/livestate/tone-speaker.ts WHIP_URL TOKEN
 */
import { pathToFileURL } from "node:url";
import { startTonePublisher, whipHttpSignal } from "../../test/support/whip-client.ts";

export const burstOnFrames = 50;
export const burstPeriodFrames = 125;

const [url, token] = process.argv.slice(2);
// Imported by the bench for the burst pattern: only run as the script.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && url && token) {
  const publisher = await startTonePublisher({
    frequency: 1000,
    signal: whipHttpSignal(url, token),
    amplitudeAt: (frame) => (frame % burstPeriodFrames < burstOnFrames ? 8000 : 0),
    // The machine is shared: ICE and DTLS may take a while under load.
    connectTimeoutMs: 30_000,
  });
  console.log("ready");
  process.once("SIGTERM", () => {
    void publisher
      .stop()
      .catch(() => {})
      .finally(() => process.exit(0));
  });
}
