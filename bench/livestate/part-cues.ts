import { readEventMessages } from "../../src/media/fmp4/emsg.ts";
import { readMediaFragments } from "../../src/media/fmp4/fragment-reader.ts";
import { readId3UserText } from "../../src/media/fmp4/id3.ts";
import {
  decodeLiveCue,
  LIVE_CUE_DESCRIPTION,
  type LiveCue,
} from "../../src/media/live-state/live-cue.ts";

/** One cue of a part, at its media time (ticks of the track's 48 kHz timescale). */
export interface TimedCue {
  time: number;
  cue: LiveCue;
}

/** The live-state cues a CMAF part carries, in order, as a player reads them. */
export function partCues(body: Uint8Array): TimedCue[] {
  const out: TimedCue[] = [];
  for (const message of readEventMessages(body)) {
    const text = readId3UserText(message.messageData, LIVE_CUE_DESCRIPTION);
    const cue = text === null ? null : decodeLiveCue(text);
    if (!cue) continue;
    // Ticks of 48 kHz whatever the message's own timescale.
    out.push({ time: Math.round((message.presentationTime * 48_000) / message.timescale), cue });
  }
  return out;
}

/** "msn.part": a part's name across listeners. */
export const partKey = (msn: number, part: number): string => `${msn}.${part}`;

/** A part's Opus packets with their decode times (ticks); throws on a part it cannot read. */
export function partSamples(
  body: Uint8Array,
): { data: Uint8Array; decodeTime: number; duration: number }[] {
  const read = readMediaFragments(body);
  if (!read.ok) throw new Error(`unreadable part: ${read.reason}`);
  return read.value.flatMap((fragment) => {
    let t = fragment.baseMediaDecodeTime;
    return fragment.samples.map((s) => {
      const sample = { data: s.data, decodeTime: t, duration: s.duration };
      t += s.duration;
      return sample;
    });
  });
}
