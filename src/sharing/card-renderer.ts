import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import { cardFont } from "./card-svg.ts";

/** Debian's fonts-dejavu-core (scripts/ensure-system-deps.sh installs it). */
export const dejaVuFiles = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
];

const workerFile = new URL("./card-worker.mjs", import.meta.url);

export interface CardRendererOptions {
  /** Font files to load; the ones missing are skipped, and with none the system's are used. */
  fontFiles?: readonly string[];
  /** Rendered cards kept in memory (least recently used go first). */
  maxEntries?: number;
}

interface Job {
  id: number;
  svg: string;
  resolve: (png: Buffer) => void;
  reject: (error: Error) => void;
}

/**
 * Renders card SVGs to PNG with resvg in a worker thread (card-worker.mjs: rendering and PNG
 * encoding both run there; the event loop only sends the SVG and gets the bytes), one card at
 * a time, and keeps the results in a bounded LRU keyed by the SVG's hash: the same content is
 * rendered once, and concurrent requests for it share the render. The worker starts with the
 * first card and does not keep the process alive.
 */
export class CardRenderer {
  private readonly cache = new Map<string, Promise<Buffer>>();
  private readonly maxEntries: number;
  private readonly options: ResvgRenderOptions;
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private nextId = 1;
  private started = 0;
  /** Milliseconds of the last renders (newest last, at most 100), for the operator. */
  readonly renderMs: number[] = [];
  /** Whether the card font was found (otherwise the system's fonts stand in). */
  readonly hasCardFont: boolean;

  constructor(options: CardRendererOptions = {}) {
    const fontFiles = (options.fontFiles ?? dejaVuFiles).filter((f) => existsSync(f));
    this.hasCardFont = fontFiles.length > 0;
    this.maxEntries = options.maxEntries ?? 500;
    this.options = {
      font: this.hasCardFont
        ? { loadSystemFonts: false, fontFiles, defaultFontFamily: cardFont }
        : { loadSystemFonts: true, defaultFontFamily: cardFont, sansSerifFamily: cardFont },
      logLevel: "off",
    };
  }

  /** The PNG of `svg` (from the cache when rendered before). */
  png(svg: string): Promise<Buffer> {
    const key = createHash("sha256").update(svg).digest("base64url");
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const rendering = new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, svg, resolve, reject });
      this.pump();
    });
    this.cache.set(key, rendering);
    rendering.catch(() => this.cache.delete(key));
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return rendering;
  }

  /** Stops the worker; cards asked for later start a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    this.started = performance.now();
    this.ensureWorker().postMessage({ id: job.id, svg: job.svg, options: this.options });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerFile);
    worker.unref();
    worker.on("message", (message: { id: number; png?: Uint8Array; error?: string }) => {
      const job = this.current;
      if (!job || job.id !== message.id) return;
      this.finish();
      if (message.png) {
        const { png } = message;
        job.resolve(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
      } else job.reject(new Error(`card render failed: ${message.error}`));
    });
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      const job = this.current;
      if (job) {
        this.finish();
        job.reject(error);
      }
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`card worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private finish(): void {
    this.renderMs.push(Math.round((performance.now() - this.started) * 10) / 10);
    if (this.renderMs.length > 100) this.renderMs.shift();
    this.current = null;
    queueMicrotask(() => this.pump());
  }
}
