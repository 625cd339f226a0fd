import { HlsPackager, type PackagerOptions } from "../packager/hls-packager.ts";
import { HlsStream } from "./hls-stream.ts";

/** The live streams this process originates, by Space id. */
export class HlsOrigin {
  private readonly streams = new Map<string, HlsStream>();

  constructor(private readonly options: PackagerOptions = {}) {}

  open(spaceId: string, resumeFrom?: PackagerOptions["resumeFrom"]): HlsStream {
    this.streams.get(spaceId)?.close();
    const stream = new HlsStream(
      new HlsPackager({ ...this.options, ...(resumeFrom ? { resumeFrom } : {}) }),
    );
    this.streams.set(spaceId, stream);
    return stream;
  }

  /** The init segment of the streams this origin makes (the same for every Space). */
  initSegment(): Uint8Array {
    return new HlsPackager(this.options).init;
  }

  get(spaceId: string): HlsStream | undefined {
    return this.streams.get(spaceId);
  }

  /** Drops a stream after the `lingerMs` that lets late listeners read its end. */
  close(spaceId: string, lingerMs = 60_000): void {
    const stream = this.streams.get(spaceId);
    if (!stream) return;
    setTimeout(() => {
      if (this.streams.get(spaceId) !== stream) return;
      stream.close();
      this.streams.delete(spaceId);
    }, lingerMs).unref();
  }

  closeAll(): void {
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
  }
}
