import type { PlaylistSnapshot } from "../llhls/index.ts";
import { renderMediaPlaylist } from "../llhls/index.ts";
import type { EncodedFrame, HlsPackager, PackagedPart } from "../packager/hls-packager.ts";

interface Waiter {
  ready: () => boolean;
  resolve: (ready: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * One Space's live LL-HLS stream held in memory for the origin: the init segment, parts and
 * segments by URI, the rendered playlist, and the requests waiting for what comes next
 * (blocking playlist reloads and preload-hinted parts).
 */
export class HlsStream {
  private readonly resources = new Map<string, Uint8Array>();
  private waiters = new Set<Waiter>();
  private rendered: { text: string; version: number } | null = null;
  private version = 0;
  private closed = false;

  constructor(
    private readonly packager: HlsPackager,
    /** How long media that left the playlist stays downloadable (RFC 8216bis §6.2.2). */
    private readonly retainRemovedMs = 30_000,
  ) {
    this.resources.set("init.mp4", packager.init);
  }

  /** Adds a frame of the program feed and publishes the part it finished, if any. */
  push(frame: EncodedFrame, nowMs: number): PackagedPart | null {
    const part = this.packager.push(frame, nowMs);
    if (part) this.publish(part);
    return part;
  }

  /**
   * Packages a frame without publishing the part it finishes: for a caller that must make
   * the part durable first (the recorder), then calls `publish` in the same order.
   */
  package(frame: EncodedFrame, nowMs: number): PackagedPart | null {
    return this.packager.push(frame, nowMs);
  }

  /** Whether the next frame starts a part (where a key cue of the live state goes). */
  get partStarting(): boolean {
    return this.packager.partStarting;
  }

  /** Ends the packaging: the last (short) part, if any, not yet published, then ENDLIST. */
  finish(): PackagedPart | null {
    return this.packager.end();
  }

  get(uri: string): Uint8Array | undefined {
    return this.resources.get(uri);
  }

  snapshot(): PlaylistSnapshot {
    return this.packager.snapshot();
  }

  /** The media playlist as text, rendered once per change. */
  playlist(): string {
    if (this.rendered?.version !== this.version) {
      this.rendered = {
        text: renderMediaPlaylist(this.packager.snapshot()),
        version: this.version,
      };
    }
    return this.rendered.text;
  }

  /**
   * Resolves true as soon as `ready()` holds (checked now and after every new part), or false
   * after `timeoutMs` or when the stream closes.
   */
  waitFor(ready: () => boolean, timeoutMs: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        ready,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Frees memory and answers every waiting request. */
  close(): void {
    this.closed = true;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve(w.ready());
    }
    this.waiters.clear();
  }

  /** Makes a packaged part (and the segment it closed) downloadable and wakes waiters. */
  publish(part: PackagedPart): void {
    this.resources.set(part.uri, part.bytes);
    if (part.closed) this.resources.set(part.closed.segment.uri, part.closed.bytes);
    if (part.removed.length > 0) {
      const uris = part.removed.flatMap((s) => [s.uri, ...s.parts.map((p) => p.uri)]);
      setTimeout(() => {
        for (const uri of uris) this.resources.delete(uri);
      }, this.retainRemovedMs).unref();
    }
    this.version++;
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const w of waiting) {
      if (w.ready()) {
        clearTimeout(w.timer);
        w.resolve(true);
      } else {
        this.waiters.add(w);
      }
    }
  }

  /** Wakes waiters after the playlist changed without a new part (the end). */
  touch(): void {
    this.version++;
    for (const w of this.waiters) {
      if (w.ready()) {
        clearTimeout(w.timer);
        w.resolve(true);
        this.waiters.delete(w);
      }
    }
  }
}
