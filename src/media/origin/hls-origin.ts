import { HlsPackager, type PackagerOptions } from "../packager/hls-packager.ts";
import { HlsStream } from "./hls-stream.ts";

/** The live streams this process originates, by Space id. */
export class HlsOrigin {
  private readonly streams = new Map<string, HlsStream>();
  /** Spaces whose room is starting here (claimed, not open yet), and who waits for them. */
  private readonly opening = new Map<string, Set<(stream: HlsStream | undefined) => void>>();

  constructor(private readonly options: PackagerOptions = {}) {}

  open(spaceId: string, resumeFrom?: PackagerOptions["resumeFrom"]): HlsStream {
    this.streams.get(spaceId)?.close();
    const stream = new HlsStream(
      new HlsPackager({ ...this.options, ...(resumeFrom ? { resumeFrom } : {}) }),
    );
    this.streams.set(spaceId, stream);
    this.settle(spaceId, stream);
    return stream;
  }

  /**
   * A room is starting for the Space here (this node just took it): until its stream opens,
   * requests for it wait instead of answering 404 (a takeover reads the recording first).
   */
  expect(spaceId: string): void {
    if (!this.opening.has(spaceId)) this.opening.set(spaceId, new Set());
  }

  /** The room did not start after all: whoever waits gets no stream. */
  abandon(spaceId: string): void {
    this.settle(spaceId, undefined);
  }

  /** The stream, or, while one is expected, the stream once it opens (at most `waitMs`). */
  async whenOpen(spaceId: string, waitMs: number): Promise<HlsStream | undefined> {
    const stream = this.streams.get(spaceId);
    const waiters = this.opening.get(spaceId);
    if (stream || !waiters) return stream;
    return new Promise((resolve) => {
      const done = (s: HlsStream | undefined) => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve(s);
      };
      const timer = setTimeout(() => done(undefined), waitMs);
      waiters.add(done);
    });
  }

  private settle(spaceId: string, stream: HlsStream | undefined): void {
    const waiters = this.opening.get(spaceId);
    if (!waiters) return;
    this.opening.delete(spaceId);
    for (const done of [...waiters]) done(stream);
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
